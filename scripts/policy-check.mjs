// `pnpm policy-check --config FILE [--trace FILE] [--random N] [--seed S]`: checks a Hangar
// pools configuration offline (see docs/policies.md). Plain Node ESM: it runs the TypeScript
// checker in scripts/policy-check/ through tsx (core's sources, no build step), and exits
// with the checker's code (0 ok, 1 problems or violated invariants, 2 bad usage).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(
  process.execPath,
  [
    '--import',
    import.meta.resolve('tsx'),
    fileURLToPath(new URL('./policy-check/cli.ts', import.meta.url)),
    ...process.argv.slice(2),
  ],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
  },
);
if (result.error) {
  console.error(
    `policy-check: could not start node: ${result.error.message} (run \`pnpm install\` in ${root} first)`,
  );
  process.exit(1);
}
process.exit(result.status ?? 1);
