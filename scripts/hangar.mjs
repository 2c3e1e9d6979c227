// `npm run hangar -- <command> [options]`: the operator's CLI (packages/cli). Installs the
// workspace first when it was never installed (a fresh clone), then runs the `hangar` bin and
// exits with its code (0 answered, 1 not found, 2 bad usage, 3 the table could not be read).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { install } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}node_modules/.modules.yaml`) || !existsSync(`${root}packages/cli/node_modules`)) {
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
const result = spawnSync(process.execPath, [`${root}packages/cli/bin/hangar.mjs`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 3);
