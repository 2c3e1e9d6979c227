// `npm run migrate -- FILE [--format hcl|json|pools-json] [--owner ORG] [--add-label L]... [--output FILE]`:
// converts a terraform-aws-github-runner configuration into Hangar's inputs (docs/migrating.md).
// Plain Node ESM: installs the workspace first (its output goes to stderr, so stdout carries only
// the converted configuration), then runs the TypeScript converter in scripts/migrate/ through tsx.
// Exits with the converter's code (0 converted, 1 converted with warnings, 2 bad usage or input).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { install } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!install({ cwd: root, stdio: ['ignore', 2, 2] })) {
  console.error(
    'migrate: installing the workspace failed (pnpm install --frozen-lockfile); fix that and retry',
  );
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    import.meta.resolve('tsx'),
    fileURLToPath(new URL('./migrate/cli.ts', import.meta.url)),
    ...process.argv.slice(2),
  ],
  { cwd: process.cwd(), stdio: 'inherit' },
);
if (result.error) {
  console.error(`migrate: could not start node: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 2);
