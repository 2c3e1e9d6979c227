// Lambda bundles: each handler's zip size and cold module-init time (importing index.mjs in a
// fresh Node process), against a trivial module measured the same way in the same run.
// Prints numbers; asserts nothing. Run: pnpm tsx bench/bundles/size-and-init.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { HANDLER_NAMES } from '@hangar/runtime-lambda';

const repoRoot = join(import.meta.dirname, '..', '..');
const runs = Number(process.argv[2] ?? 9);

function median(sample: readonly number[]): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** The first entry of a zip (ours hold only index.mjs), from its local file header. */
function firstEntry(zip: Buffer): { readonly name: string; readonly bytes: Buffer } {
  if (zip.readUInt32LE(0) !== 0x04034b50) throw new Error('not a zip file');
  const method = zip.readUInt16LE(8);
  const compressed = zip.readUInt32LE(18);
  const nameLength = zip.readUInt16LE(26);
  const start = 30 + nameLength + zip.readUInt16LE(28);
  const name = zip.subarray(30, 30 + nameLength).toString('utf8');
  const data = zip.subarray(start, start + compressed);
  return { name, bytes: method === 8 ? inflateRawSync(data) : Buffer.from(data) };
}

/** Milliseconds from `import()` start to its resolution, in a fresh process each run. */
function initTimes(file: string): number[] {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  return Array.from({ length: runs }, () => {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`import of ${file} failed: ${out.stderr}`);
    return Number(out.stdout.trim().split('\n').at(-1));
  });
}

const build = spawnSync(process.execPath, [join(repoRoot, 'packages/runtime-lambda/scripts/build.mjs')], {
  encoding: 'utf8',
});
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);

const work = mkdtempSync(join(tmpdir(), 'hangar-bundle-bench-'));
const baseline = join(work, 'baseline.mjs');
writeFileSync(baseline, 'export const handler = async () => ({ statusCode: 200 });\n');
// Alternate baseline and bundles so machine load affects both alike.
const baselineTimes = initTimes(baseline);
const rows = HANDLER_NAMES.map((name) => {
  const zip = join(repoRoot, 'dist', 'lambda', `${name}.zip`);
  const dir = join(work, name);
  mkdirSync(dir);
  const entry = firstEntry(readFileSync(zip));
  const index = join(dir, entry.name);
  writeFileSync(index, entry.bytes);
  return { name, zip: statSync(zip).size, bundle: statSync(index).size, init: median(initTimes(index)) };
});
baselineTimes.push(...initTimes(baseline));
const base = median(baselineTimes);
rmSync(work, { recursive: true, force: true });

const kib = (bytes: number) => (bytes / 1024).toFixed(0);
console.log(`node ${process.version}, ${runs} fresh processes per bundle, median module-init time`);
console.log('| bundle | zip KiB | index.mjs KiB | init ms (median) | × baseline |');
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${kib(r.zip)} | ${kib(r.bundle)} | ${r.init.toFixed(1)} | ${(r.init / base).toFixed(1)} |`,
  );
console.log(`| baseline (trivial module) | | | ${base.toFixed(2)} | 1.0 |`);
