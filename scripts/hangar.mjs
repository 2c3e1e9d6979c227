// `npm run hangar -- <command> [options]`: the operator's CLI (packages/cli). Installs the
// workspace first when it was never installed (a fresh clone), bundles the CLI with esbuild
// when its sources changed (a bundled start takes a fraction of a tsx one), then runs it and
// exits with its code (0 answered, 1 not found, 2 bad usage, 3 the table could not be read).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { install } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'packages/cli/dist/hangar.mjs');
const sources = ['packages/cli/src', 'packages/core/src', 'packages/adapter-aws/src'].map((dir) =>
  join(root, dir),
);

if (
  !existsSync(join(root, 'node_modules/.modules.yaml')) ||
  !existsSync(join(root, 'packages/cli/node_modules'))
) {
  const cwd = process.cwd();
  process.chdir(root);
  if (!install()) {
    console.error(
      'hangar: installing the workspace failed (pnpm install --frozen-lockfile); fix that and retry',
    );
    process.exit(3);
  }
  process.chdir(cwd);
}

/** The newest modification time under `dir` (TypeScript sources only). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const lockfile = statSync(join(root, 'pnpm-lock.yaml')).mtimeMs;
if (!existsSync(bundle) || Math.max(lockfile, ...sources.map(newest)) > statSync(bundle).mtimeMs) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'packages/cli/src/main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // The AWS SDK's CommonJS parts call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
}
const result = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], {
  stdio: 'inherit',
  // The AWS SDK warns on every start that its 2027 releases need Node 22; the versions pinned
  // here run on 20, and the warning would land in the middle of the answer.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
process.exit(result.status ?? 3);
