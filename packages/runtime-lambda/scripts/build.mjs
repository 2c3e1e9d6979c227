// Bundles each Lambda handler (src/handlers/<name>.ts) into dist/lambda/<name>.zip at the
// repository root, holding one file: index.mjs (handler string `index.handler`). The
// Terraform module reads these zips. Run: node packages/runtime-lambda/scripts/build.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const repoRoot = join(packageRoot, '..', '..');
const outDir = join(repoRoot, 'dist', 'lambda');

/** Kept in step with HANDLER_NAMES in src/config/environment.ts (the bundles spec checks it). */
export const HANDLERS = [
  'webhook',
  'scale-up',
  'job-events',
  'scale-down',
  'pool',
  'reconciler',
  'instance-events',
  'binaries-syncer',
];

/**
 * The Lambda runtime the bundles are deployed on (lambda-runtime.json, also the module's
 * lambda_runtime default) and the Node these tests run on. esbuild lowers syntax for every
 * target listed, so the bundle runs on both: Node 20 here (bundles.spec.ts imports each one in
 * a fresh process) and the runtime's Node on Lambda. Targeting only the runtime's Node would
 * let esbuild keep syntax Node 20 cannot parse; targeting only Node 20 would not say which
 * runtime the bundle is for. Every supported runtime is newer than Node 20, so one bundle fits
 * all of them.
 */
const runtimes = JSON.parse(readFileSync(join(packageRoot, 'lambda-runtime.json'), 'utf8'));
export const LAMBDA_RUNTIME = runtimes.default;
export const TARGETS = [`node${runtimes.testedOn}`, `node${runtimes.supported[LAMBDA_RUNTIME].node}`];

/** Fixed entry time (zip stores local DOS time; 1980-01-01 is its epoch): same input, same bytes. */
const MTIME = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Some dependencies (Powertools, parts of Smithy) still `require()` Node built-ins; an ESM
 * bundle has no `require`, so one is created for them.
 */
const BANNER =
  "import { createRequire as __hangarRequire } from 'node:module'; const require = __hangarRequire(import.meta.url);";

async function bundle(name) {
  const result = await build({
    entryPoints: [join(packageRoot, 'src', 'handlers', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    target: TARGETS,
    format: 'esm',
    minify: true,
    // Error names (DependencyError, ConfigurationError) appear in logs and results: keep them.
    keepNames: true,
    treeShaking: true,
    // ESM builds of the AWS SDK and Octokit tree-shake; `main` is the CommonJS fallback.
    mainFields: ['module', 'main'],
    // The AWS SDK is bundled, never taken from the Lambda runtime: the pinned versions are what was tested.
    external: [],
    banner: { js: BANNER },
    legalComments: 'eof',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const zip = zipSync({ 'index.mjs': [code, { mtime: MTIME, level: 9 }] });
  writeFileSync(join(outDir, `${name}.zip`), zip);
  // Modules that contributed bytes (the metafile's inputs also list modules tree-shaken away).
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path, input]) => ({ path, bytes: input.bytesInOutput }));
  return { name, bundleBytes: code.length, zipBytes: zip.length, inputs };
}

export async function buildAll() {
  mkdirSync(outDir, { recursive: true });
  return Promise.all(HANDLERS.map(bundle));
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const results = await buildAll();
  for (const r of results)
    console.log(
      `${r.name.padEnd(16)} index.mjs ${kib(r.bundleBytes).padStart(10)}  zip ${kib(r.zipBytes).padStart(10)}`,
    );
  console.log(
    `wrote ${results.length} bundles for ${LAMBDA_RUNTIME} (esbuild targets ${TARGETS.join(', ')}) to ${outDir} in ${Math.round(performance.now() - started)} ms`,
  );
  // Guard the webhook's size: it must not carry the compute clients it never uses.
  const webhook = results.find((r) => r.name === 'webhook');
  const heavy = webhook.inputs
    .map((input) => input.path)
    .filter((path) => /client-(ec2|ecs|s3)\//.test(path));
  if (heavy.length > 0) {
    console.error(`webhook bundle includes EC2/ECS/S3 clients: ${heavy.slice(0, 3).join(', ')}`);
    process.exit(1);
  }
  readFileSync(join(outDir, 'webhook.zip'));
}
