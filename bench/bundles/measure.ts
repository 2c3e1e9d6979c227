// How the bundle benchmark measures: module init of a file imported in a fresh Node process,
// every subject once per round, rounds interleaved so machine load (this machine is shared)
// falls on every subject alike; the statistic is the median over rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface Subject {
  readonly name: string;
  /** The file Lambda would load (the handler module). */
  readonly entry: string;
  /** Bytes of every file of the deployment package, uncompressed. */
  readonly codeBytes: number;
  /** Bytes Node reads when it imports `entry`: it and the files it imports statically. */
  readonly startBytes: number;
  readonly zipBytes: number;
  readonly files: number;
}

export function median(sample: readonly number[]): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Every entry of a zip written without data descriptors (fflate's zipSync, as ours are). */
export function unzipEntries(zip: Buffer): { readonly name: string; readonly bytes: Buffer }[] {
  const entries: { name: string; bytes: Buffer }[] = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const method = zip.readUInt16LE(at + 8);
    const compressed = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = zip.subarray(start, start + compressed);
    entries.push({ name, bytes: method === 8 ? inflateRawSync(data) : Buffer.from(data) });
    at = start + compressed;
  }
  if (entries.length === 0) throw new Error('not a zip file');
  return entries;
}

/**
 * What a directory would weigh zipped the way ours are (deflate level 9, one entry per file):
 * local header + central directory entry per file, and the end record.
 */
export function zippedSize(dir: string): {
  readonly codeBytes: number;
  readonly zipBytes: number;
  readonly files: number;
} {
  const names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
  let codeBytes = 0;
  let zipBytes = 22;
  for (const name of names) {
    const bytes = readFileSync(join(dir, name));
    codeBytes += bytes.length;
    zipBytes += deflateRawSync(bytes, { level: 9 }).length + 30 + 46 + 2 * Buffer.byteLength(name);
  }
  return { codeBytes, zipBytes, files: names.length };
}

/**
 * Bytes of `entry` and of every file it imports statically, transitively (`from "./x"` or a
 * bare `import "./x"`, as esbuild and ncc write them; `import("./x")` is loaded on demand).
 */
export function startBytes(entry: string): number {
  const dir = dirname(entry);
  const seen = new Set([basename(entry)]);
  for (const file of seen)
    for (const [, imported] of readFileSync(join(dir, file), 'utf8').matchAll(
      /(?:from\s*|import\s*)["']\.\/([\w.-]+)["']/g,
    ))
      if (imported && existsSync(join(dir, imported))) seen.add(imported);
  return [...seen].reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

/** The handler module of a built Lambda directory: index.mjs, else index.js (ESM by package.json). */
export function entryOf(dir: string): string | undefined {
  return ['index.mjs', 'index.js'].map((file) => join(dir, file)).find((file) => existsSync(file));
}

/**
 * The child's environment: a region (an SDK client constructed at module scope would want one)
 * and nothing that changes what a module does at import — no NODE_OPTIONS from the parent
 * (tsx's loader), no Lambda variables (Powertools Tracer stays disabled, as outside X-Ray).
 */
function childEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, AWS_REGION: 'us-east-1', TZ: 'UTC' };
}

/** Milliseconds from `import()` start to its resolution: load, parse, link, evaluate. No handler call. */
function initOnce(entry: string): number {
  const url = JSON.stringify(pathToFileURL(entry).href);
  const script = `const t = performance.now(); await import(${url}); console.log(performance.now() - t);`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: childEnvironment(),
  });
  if (out.status !== 0) throw new Error(`import of ${entry} failed: ${out.stderr}`);
  return Number(out.stdout.trim().split('\n').at(-1));
}

/**
 * `rounds` rounds; each imports every subject once, in an order rotated by one per round so no
 * subject always runs first or after the same neighbour. Returns the samples per subject name.
 */
export function measureInterleaved(
  subjects: readonly Subject[],
  rounds: number,
  progress: (round: number) => void = () => {},
): Map<string, number[]> {
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < subjects.length; i++) {
      const subject = subjects[(i + round) % subjects.length];
      if (subject) samples.get(subject.name)?.push(initOnce(subject.entry));
    }
    progress(round + 1);
  }
  return samples;
}
