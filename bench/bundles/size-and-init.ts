// Lambda bundles: each handler's zip size and cold module-init time (importing the handler module
// in a fresh Node process, no handler call), side by side with the reference module's webhook and
// control plane (built by build-reference.ts from their checkout, see docs/benchmarks.md), optionally another build
// of ours (the "before"), and a trivial module, all interleaved in one run. Asserts nothing.
// Run: pnpm tsx bench/bundles/size-and-init.ts [rounds, default 9] [--skip-build]
// Reference bundles: $HANGAR_REFERENCE_BUNDLES or dist/reference (git-ignored), holding
// <variant>/<function>/index.{mjs,js} for variant ncc | esbuild, function webhook | control-plane.
// Another build of ours: $HANGAR_COMPARE_ZIPS, a directory of <handler>.zip, shown as "(before)".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_NAMES } from '@hangar/runtime-lambda';
import {
  entryOf,
  measureInterleaved,
  median,
  startBytes,
  type Subject,
  unzipEntries,
  zippedSize,
} from './measure';

const repoRoot = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 9);
const referenceDir = process.env.HANGAR_REFERENCE_BUNDLES ?? join(repoRoot, 'dist', 'reference');
const compareDir = process.env.HANGAR_COMPARE_ZIPS;
const REFERENCE_VARIANTS = ['ncc', 'esbuild'] as const;
const REFERENCE_FUNCTIONS = ['webhook', 'control-plane'] as const;
const TRIVIAL = 'trivial module';

if (!args.includes('--skip-build')) {
  const build = spawnSync(process.execPath, [join(repoRoot, 'packages/runtime-lambda/scripts/build.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'hangar-bundle-bench-'));
const trivial = join(work, 'trivial.mjs');
writeFileSync(trivial, 'export const handler = async () => ({ statusCode: 200 });\n');

/** A zip of ours, unpacked as Lambda would unpack it. */
function unpacked(name: string, zipFile: string, label: string): Subject {
  const zip = readFileSync(zipFile);
  const dir = join(work, label.replace(/\W+/g, '-'));
  mkdirSync(dir);
  const entries = unzipEntries(zip);
  for (const entry of entries) writeFileSync(join(dir, entry.name), entry.bytes);
  const entry = join(dir, 'index.mjs');
  const codeBytes = entries.reduce((sum, file) => sum + file.bytes.length, 0);
  return {
    name: label,
    entry,
    codeBytes,
    startBytes: startBytes(entry),
    zipBytes: zip.length,
    files: entries.length,
  };
}

function references(): Subject[] {
  const found: Subject[] = [];
  for (const variant of REFERENCE_VARIANTS)
    for (const fn of REFERENCE_FUNCTIONS) {
      const dir = join(referenceDir, variant, fn);
      const entry = existsSync(dir) ? entryOf(dir) : undefined;
      if (entry)
        found.push({
          name: `ref ${fn} (${variant})`,
          entry,
          startBytes: startBytes(entry),
          ...zippedSize(dir),
        });
    }
  return found;
}

const ours = HANDLER_NAMES.map((name) =>
  unpacked(name, join(repoRoot, 'dist', 'lambda', `${name}.zip`), name),
);
const before = compareDir
  ? HANDLER_NAMES.filter((name) => existsSync(join(compareDir, `${name}.zip`))).map((name) =>
      unpacked(name, join(compareDir, `${name}.zip`), `${name} (before)`),
    )
  : [];
const size = Buffer.byteLength(readFileSync(trivial));
const subjects: Subject[] = [
  { name: TRIVIAL, entry: trivial, codeBytes: size, startBytes: size, zipBytes: 0, files: 1 },
  ...ours,
  ...before,
  ...references(),
];
const loadBefore = loadavg();
const samples = measureInterleaved(subjects, rounds, (round) =>
  process.stderr.write(`round ${round}/${rounds}\r`),
);
const loadAfter = loadavg();
rmSync(work, { recursive: true, force: true });

const init = (name: string) => median(samples.get(name) ?? []);
const kib = (bytes: number) => (bytes / 1024).toFixed(0);
const ratio = (value: number, of: number) => (Number.isFinite(of) ? (value / of).toFixed(2) : '—');
const load = (avg: number[]) => avg.map((n) => n.toFixed(1)).join(' ');
const commitFile = join(referenceDir, 'COMMIT');
const commit = existsSync(commitFile) ? readFileSync(commitFile, 'utf8').trim() : 'unknown commit';

console.log(
  `node ${process.version}; load average ${load(loadBefore)} before, ${load(loadAfter)} after; ` +
    `${rounds} interleaved rounds of fresh processes; median module init (import() start → resolved)`,
);
console.log(
  subjects.some((s) => s.name.startsWith('ref '))
    ? `reference bundles: ${referenceDir} (${commit})`
    : `no reference bundles in ${referenceDir}: ratios against the reference are not printed`,
);
console.log(
  '| bundle | files | zip KiB | code KiB | loaded at start KiB | init ms | × ref (ncc) | × ref (esbuild, our settings) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const subject of subjects) {
  const ms = init(subject.name);
  const counterpart = subject.name.startsWith('webhook') ? 'webhook' : 'control-plane';
  const compared = !subject.name.startsWith('ref ') && subject.name !== TRIVIAL;
  const ncc = compared ? ratio(ms, init(`ref ${counterpart} (ncc)`)) : '';
  const esbuild = compared ? ratio(ms, init(`ref ${counterpart} (esbuild)`)) : '';
  const zip = subject.zipBytes > 0 ? kib(subject.zipBytes) : '';
  console.log(
    `| ${subject.name} | ${subject.files} | ${zip} | ${kib(subject.codeBytes)} | ${kib(subject.startBytes)} | ${ms.toFixed(1)} | ${ncc} | ${esbuild} |`,
  );
}
