// Lambda bundles: each handler's zip size and cold module-init time (importing index.mjs in a
// fresh Node process), against a trivial module measured the same way in the same run.
// Prints numbers; asserts nothing. Run: pnpm tsx bench/bundles/size-and-init.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { build as esbuild, type PluginBuild } from 'esbuild';
import { HANDLER_NAMES } from '@hangar/runtime-lambda';
// @ts-expect-error -- a plain .mjs script without declarations; only its esbuild options are used
import { BUNDLE_OPTIONS } from '../../packages/runtime-lambda/scripts/build.mjs';

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
function initTimes(file: string, env: Record<string, string> = {}, count = runs): number[] {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  return Array.from({ length: count }, () => {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
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
const tracingModule = join(repoRoot, 'packages/runtime-lambda/src/observability/tracing.ts');

/** The bundle as built.mjs makes it, but with the tracer module stubbed out: "without tracer". */
async function withoutTracer(name: string): Promise<Uint8Array> {
  const stub = join(work, 'no-tracing.ts');
  writeFileSync(stub, "export class Tracing { constructor() { throw new Error('stubbed'); } }\n");
  const result = await esbuild({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(repoRoot, 'packages/runtime-lambda/src/handlers', `${name}.ts`)],
    plugins: [
      {
        name: 'no-tracer',
        setup: (b: PluginBuild) => b.onResolve({ filter: /observability\/tracing$/ }, () => ({ path: stub })),
      },
    ],
  });
  return result.outputFiles?.[0]?.contents ?? new Uint8Array();
}

// Alternate baseline and bundles, and each bundle with its tracer-free twin, so machine load
// affects all alike.
const baselineTimes = initTimes(baseline);
const rows = [];
for (const name of HANDLER_NAMES) {
  const zip = join(repoRoot, 'dist', 'lambda', `${name}.zip`);
  const dir = join(work, name);
  mkdirSync(dir);
  const entry = firstEntry(readFileSync(zip));
  const index = join(dir, entry.name);
  writeFileSync(index, entry.bytes);
  const twin = join(dir, 'without-tracer.mjs');
  writeFileSync(twin, await withoutTracer(name));
  const init: number[] = [];
  const initWithout: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    init.push(...initTimes(index, {}, 1));
    initWithout.push(...initTimes(twin, {}, 1));
  }
  rows.push({
    name,
    zip: statSync(zip).size,
    bundle: statSync(index).size,
    withoutBundle: statSync(twin).size,
    init: median(init),
    initWithout: median(initWithout),
  });
}
// The tracer a function evaluates at its first invocation when POWERTOOLS_TRACE_ENABLED is true
// (lambda-entry.ts): bundled alone like the handlers and created as the runtime does, in a
// Lambda-like environment so it instruments http and fetch.
const tracerEntry = join(work, 'tracer-entry.ts');
writeFileSync(
  tracerEntry,
  `import { Tracing } from ${JSON.stringify(tracingModule)};\nnew Tracing('bench');\n`,
);
const tracerBuild = await esbuild({ ...BUNDLE_OPTIONS, entryPoints: [tracerEntry] });
const tracerFile = join(work, 'tracer.mjs');
writeFileSync(tracerFile, tracerBuild.outputFiles?.[0]?.contents ?? new Uint8Array());
const tracer = {
  bundle: statSync(tracerFile).size,
  init: median(
    initTimes(tracerFile, { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'true' }),
  ),
};
baselineTimes.push(...initTimes(baseline));
const base = median(baselineTimes);
rmSync(work, { recursive: true, force: true });

const kib = (bytes: number) => (bytes / 1024).toFixed(0);
console.log(`node ${process.version}, ${runs} fresh processes per bundle, median module-init time`);
console.log(
  '| bundle | zip KiB | index.mjs KiB | init ms (median) | × baseline | without tracer code: KiB | init ms |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${kib(r.zip)} | ${kib(r.bundle)} | ${r.init.toFixed(1)} | ${(r.init / base).toFixed(1)} | ${kib(r.withoutBundle)} | ${r.initWithout.toFixed(1)} |`,
  );
console.log(
  `| tracer alone (evaluated at the first invocation when POWERTOOLS_TRACE_ENABLED) | | ${kib(tracer.bundle)} | ${tracer.init.toFixed(1)} | ${(tracer.init / base).toFixed(1)} | | |`,
);
console.log(`| baseline (trivial module) | | | ${base.toFixed(2)} | 1.0 |`);
