// Bundles each Lambda handler (src/handlers/<name>.ts) into dist/lambda/<name>.zip at the
// repository root: index.mjs (handler string `index.handler`) and the chunks it imports, some
// only when a rare path runs (code splitting, see esbuildOptions). The Terraform module reads
// these zips. Run: node packages/runtime-lambda/scripts/build.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { lambdaCredentials } from './lambda-credentials.mjs';
import { sdkSchemaKeys } from './sdk-schema-keys.mjs';

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

/**
 * The esbuild options of every Hangar bundle, for one entry point written under `outdir`.
 * Exported so the bundle benchmark can build other code (the reference module's lambdas) with
 * exactly these settings.
 *
 * Code splitting: a module reached only through `import()` (the webhook's GitHub clients, the
 * SDK's SSO/STS credential providers, undici for GHES without TLS verification) goes into a
 * chunk of its own that Node reads only when that path runs. Without splitting it would sit
 * in index.mjs, and Node parses all of index.mjs at every cold start whether it runs or not —
 * parsing is most of the module init (docs/benchmarks.md).
 */
export function esbuildOptions(entryPoint, outdir) {
  return {
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'node',
    target: TARGETS,
    format: 'esm',
    splitting: true,
    outdir,
    entryNames: 'index',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    // No keepNames: it wraps every function and class of every dependency in a naming call that
    // runs at module init (~a third of the webhook's init, docs/benchmarks.md). The names that
    // matter, the errors', are spelled out in their classes (core's shared/errors.ts).
    keepNames: false,
    treeShaking: true,
    // ESM builds of the AWS SDK and Octokit tree-shake; `main` is the CommonJS fallback.
    mainFields: ['module', 'main'],
    // The AWS SDK is bundled, never taken from the Lambda runtime: the pinned versions are what was tested.
    external: [],
    banner: { js: BANNER },
    legalComments: 'eof',
    // The SDK's schemas tree-shake only with literal trait keys (see sdk-schema-keys.mjs); the
    // SDK's default credentials are Lambda's two sources (see lambda-credentials.mjs).
    plugins: [sdkSchemaKeys, lambdaCredentials],
    write: false,
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * The outputs reachable from index.mjs through `kinds` of import: static imports only are what
 * Node loads when it imports index.mjs; with dynamic ones, everything the bundle can ever load.
 * esbuild can leave a chunk nothing imports (an `import()` it later tree-shook away): the zip
 * holds only reachable outputs.
 */
function reachableOutputs(metafile, outdir, kinds) {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => relative(outdir, path) === 'index.mjs');
  const seen = new Set([entry]);
  for (const path of seen)
    for (const imported of outputs[path].imports)
      if (kinds.includes(imported.kind) && imported.path in outputs) seen.add(imported.path);
  return [...seen];
}

/** Modules that contributed bytes to these outputs (the metafile also lists tree-shaken ones). */
function inputsOf(metafile, paths) {
  return paths.flatMap((path) =>
    Object.entries(metafile.outputs[path].inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([input, { bytesInOutput }]) => ({ path: input, bytes: bytesInOutput })),
  );
}

async function bundle(name) {
  const outdir = join(outDir, name);
  const result = await build(esbuildOptions(join(packageRoot, 'src', 'handlers', `${name}.ts`), outdir));
  const { metafile } = result;
  const shipped = reachableOutputs(metafile, outdir, ['import-statement', 'dynamic-import']);
  const eager = reachableOutputs(metafile, outdir, ['import-statement']);
  const files = result.outputFiles
    // Metafile paths are relative to the working directory; output files' paths are absolute.
    .filter((file) => shipped.some((path) => resolve(path) === file.path))
    .map((file) => [relative(outdir, file.path), file.contents])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const zip = zipSync(
    Object.fromEntries(files.map(([file, code]) => [file, [code, { mtime: MTIME, level: 9 }]])),
  );
  writeFileSync(join(outDir, `${name}.zip`), zip);
  const size = (paths) => paths.reduce((sum, path) => sum + metafile.outputs[path].bytes, 0);
  return {
    name,
    files: files.length,
    bundleBytes: size(shipped),
    eagerBytes: size(eager),
    zipBytes: zip.length,
    inputs: inputsOf(metafile, shipped),
    eagerInputs: inputsOf(metafile, eager),
  };
}

export async function buildAll() {
  mkdirSync(outDir, { recursive: true });
  return Promise.all(HANDLERS.map(bundle));
}

/** Issue 14's budget for the webhook's zip: 200 KB, counted in thousands. */
export const WEBHOOK_ZIP_BUDGET_BYTES = 200_000;

/**
 * What the webhook must never carry: compute clients; the X-Ray tracer (it would put its zip
 * over 200 KB: it is traced by Lambda alone); `@octokit/rest` and its plugins (the REST endpoint
 * table is ~80 KiB), the retry and throttling plugins and Bottleneck — its one GitHub call, the
 * re-run of an interrupted job, goes through `@octokit/core` (adapter-github's rerun-client.ts).
 * What it must not load at a cold start: any GitHub client. And its zip stays within budget.
 */
export function webhookProblems(webhook) {
  const heavy = webhook.inputs
    .map((input) => input.path)
    .filter((path) => /client-(ec2|ecs|s3)\/|powertools\/tracer\/|aws-xray-sdk/.test(path));
  const rest = webhook.inputs
    .map((input) => input.path)
    .filter((path) => /@octokit\/(rest|plugin-[\w-]+)\/|node_modules\/bottleneck\//.test(path));
  const eager = webhook.eagerInputs
    .map((input) => input.path)
    .filter((path) => /node_modules\/(@octokit|undici|bottleneck)\//.test(path));
  return [
    ...(heavy.length > 0
      ? [`webhook bundle includes EC2/ECS/S3 clients or the tracer: ${heavy.slice(0, 3).join(', ')}`]
      : []),
    ...(rest.length > 0
      ? [
          `webhook bundle includes @octokit/rest, an Octokit plugin or Bottleneck (use @octokit/core): ${rest.slice(0, 3).join(', ')}`,
        ]
      : []),
    ...(eager.length > 0
      ? [`webhook index.mjs loads GitHub clients at start: ${eager.slice(0, 3).join(', ')}`]
      : []),
    ...(webhook.zipBytes > WEBHOOK_ZIP_BUDGET_BYTES
      ? [`webhook zip is ${webhook.zipBytes} bytes, over its budget of ${WEBHOOK_ZIP_BUDGET_BYTES}`]
      : []),
  ];
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const results = await buildAll();
  for (const r of results)
    console.log(
      `${r.name.padEnd(16)} ${String(r.files).padStart(2)} files ${kib(r.bundleBytes).padStart(10)}, ` +
        `loaded at start ${kib(r.eagerBytes).padStart(10)}  zip ${kib(r.zipBytes).padStart(10)}`,
    );
  console.log(
    `wrote ${results.length} bundles for ${LAMBDA_RUNTIME} (esbuild targets ${TARGETS.join(', ')}) to ${outDir} in ${Math.round(performance.now() - started)} ms`,
  );
  const problems = webhookProblems(results.find((r) => r.name === 'webhook'));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
}
