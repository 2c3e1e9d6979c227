import { spawn } from 'node:child_process';

export interface BundleInvocation {
  readonly results: readonly (
    | { readonly ok: true; readonly value: unknown }
    | { readonly ok: false; readonly name: string; readonly message: string }
  )[];
  /** Everything the bundle wrote (Powertools logs, EMF metrics). */
  readonly output: string;
}

const MARKER = '@@hangar-result ';

/**
 * Imports a built `index.mjs` in a fresh Node process with only `env` as its environment
 * (as Lambda would) and calls `handler` with each event in turn, in the same process, so a
 * second invocation reuses the cold start.
 */
export function invokeBundle(
  file: string,
  events: readonly unknown[],
  env: Readonly<Record<string, string>>,
): Promise<BundleInvocation> {
  const script = `
    const { handler } = await import(${JSON.stringify(file)});
    for (const event of JSON.parse(process.argv[1])) {
      try {
        const value = await handler(event, { awsRequestId: 'bundle-spec' });
        console.log(${JSON.stringify(MARKER)} + JSON.stringify({ ok: true, value }));
      } catch (error) {
        console.log(${JSON.stringify(MARKER)} + JSON.stringify({ ok: false, name: error.name, message: error.message }));
      }
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(events)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const results = output
        .split('\n')
        .filter((line) => line.startsWith(MARKER))
        .map((line) => JSON.parse(line.slice(MARKER.length)) as BundleInvocation['results'][number]);
      resolve({ results, output });
    });
  });
}
