// Builds the reference module's webhook and control-plane Lambdas the two ways the bundle
// benchmark compares against (size-and-init.ts):
//   <out>/ncc/<function>/       their own build: `ncc build src/lambda.ts -o dist` plus the
//                               package.json their `dist` script copies beside it (ESM);
//   <out>/esbuild/<function>/   the same entry with Hangar's esbuild options (build.mjs).
// It runs their ncc, installed by their lockfile; nothing of theirs is copied into this repository.
// Obtain and install them first (docs/benchmarks.md, "Lambda bundles"), then:
// Run: pnpm tsx bench/bundles/build-reference.ts <their lambdas/ directory> [out, default dist/reference] [--skip-ncc]
// (--skip-ncc keeps an existing ncc build: theirs takes minutes, and only our settings change.)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type BuildOptions } from 'esbuild';
// @ts-expect-error -- build.mjs is plain JavaScript; esbuildOptions returns esbuild's BuildOptions.
import { esbuildOptions } from '../../packages/runtime-lambda/scripts/build.mjs';

const FUNCTIONS = ['webhook', 'control-plane'] as const;
const repoRoot = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const skipNcc = args.includes('--skip-ncc');
const [lambdasArg, outArg] = args.filter((arg) => !arg.startsWith('--'));
if (!lambdasArg) throw new Error('usage: build-reference.ts <reference lambdas/ directory> [out]');
const lambdas = resolve(lambdasArg);
const out = resolve(outArg ?? join(repoRoot, 'dist', 'reference'));
const ncc = join(lambdas, 'node_modules', '.bin', 'ncc');
if (!existsSync(ncc))
  throw new Error(`${ncc} is missing: install the reference's lambdas first (yarn install)`);

/** The reference's commit, when `lambdas` sits in a git checkout (recorded beside the bundles). */
function commitOf(dir: string): string {
  try {
    const stdio: ['ignore', 'pipe', 'ignore'] = ['ignore', 'pipe', 'ignore'];
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio }).trim();
  } catch {
    return process.env.HANGAR_REFERENCE_COMMIT ?? 'unknown commit';
  }
}

const makeOptions = esbuildOptions as (entry: string, outdir: string) => BuildOptions;

mkdirSync(out, { recursive: true });
for (const fn of FUNCTIONS) {
  const source = join(lambdas, 'functions', fn);
  const nccOut = join(out, 'ncc', fn);
  let started = performance.now();
  if (!skipNcc || !existsSync(join(nccOut, 'index.js'))) {
    rmSync(nccOut, { recursive: true, force: true });
    execFileSync(ncc, ['build', 'src/lambda.ts', '-o', nccOut], { cwd: source, stdio: 'inherit' });
    copyFileSync(join(source, 'package.json'), join(nccOut, 'package.json'));
    console.log(`ncc ${fn}: ${Math.round(performance.now() - started)} ms`);
  }

  const esbuildOut = join(out, 'esbuild', fn);
  rmSync(esbuildOut, { recursive: true, force: true });
  started = performance.now();
  const result = await build({
    ...makeOptions(join(source, 'src', 'lambda.ts'), esbuildOut),
    absWorkingDir: source,
  });
  for (const file of result.outputFiles ?? []) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  console.log(
    `esbuild ${fn}: ${result.outputFiles?.length ?? 0} files in ${Math.round(performance.now() - started)} ms`,
  );
}
writeFileSync(join(out, 'COMMIT'), `github-aws-runners/terraform-aws-github-runner ${commitOf(lambdas)}\n`);
console.log(`wrote ${out}`);
