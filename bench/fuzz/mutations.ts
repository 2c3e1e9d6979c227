import { MUTABLE_PATHS, type Mutation } from './cases';

type Json = Record<string, unknown>;

/** Labels that are valid JSON strings but odd to every later layer (DynamoDB, SQS, logs). */
const ODD_LABELS: readonly string[] = [
  '\ud800',
  'nul\u0000byte',
  '\u202eevil',
  '😀'.repeat(64),
  ' '.repeat(10),
  '',
  'x'.repeat(257),
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'SELF-HOSTED',
];

function setAt(root: Json, path: readonly (string | number)[], value: unknown, remove: boolean): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null) return;
  const last = path[path.length - 1] as string | number;
  if (remove) delete (node as Record<string | number, unknown>)[last];
  else (node as Record<string | number, unknown>)[last] = value;
}

/** The mutated body bytes of a valid delivery (before any re-signing). */
export function applyMutation(original: string, mutation: Mutation): Buffer {
  const parsed = JSON.parse(original) as Json;
  switch (mutation.op) {
    case 'delete':
      setAt(parsed, MUTABLE_PATHS[mutation.path] ?? [], undefined, true);
      return Buffer.from(JSON.stringify(parsed));
    case 'set':
      setAt(parsed, MUTABLE_PATHS[mutation.path] ?? [], mutation.value, false);
      return Buffer.from(JSON.stringify(parsed));
    case 'odd-number':
      setAt(parsed, MUTABLE_PATHS[mutation.path] ?? [], mutation.value, false);
      return Buffer.from(JSON.stringify(parsed));
    case 'odd-label': {
      const job = parsed.workflow_job as Json;
      job.labels = ['self-hosted', 'linux', 'x64', ODD_LABELS[mutation.label] ?? ''];
      return Buffer.from(JSON.stringify(parsed));
    }
    case 'truncate':
      return Buffer.from(original.slice(0, Math.floor(original.length * mutation.at)));
    case 'flip-byte': {
      const bytes = Buffer.from(original);
      bytes[Math.min(bytes.length - 1, Math.floor(bytes.length * mutation.at))] = mutation.byte;
      return bytes;
    }
    case 'deep-nesting': {
      // Nested arrays as labels: within the 1 MiB limit for any generated depth.
      const depth = Math.min(mutation.depth, 500_000);
      return Buffer.from(
        original.replace('"labels":[', `"labels":[${'['.repeat(depth)}${']'.repeat(depth)},`),
      );
    }
    case 'duplicate-key':
      // JSON.parse keeps the last; the signature covers the raw bytes either way.
      return Buffer.from(original.replace('{"action":', `{"action":"${mutation.action}","action":`));
  }
}
