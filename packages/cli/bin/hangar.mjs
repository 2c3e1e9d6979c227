#!/usr/bin/env node
// `hangar`: runs the TypeScript CLI (packages/cli/src/main.ts) through tsx, as the repository's
// other tools do (no build step), and exits with its code (see src/usage.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const result = spawnSync(
  process.execPath,
  [
    '--import',
    import.meta.resolve('tsx'),
    fileURLToPath(new URL('../src/main.ts', import.meta.url)),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    // The AWS SDK warns on every start that its 2027 releases need Node 22; the versions pinned
    // here run on 20, and the warning would land in the middle of the answer.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  },
);
if (result.error) {
  console.error(`hangar: could not start node: ${result.error.message}`);
  process.exit(3);
}
process.exit(result.status ?? 3);
