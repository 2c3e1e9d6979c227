// `pnpm chaos` / `pnpm fuzz`: runs a TypeScript benchmark entry (tsx) with its arguments, in a
// private network namespace when we can (DynamoDB Local binds every interface; nothing but
// loopback is needed). A bare `--` from `pnpm <script> -- …` is dropped.
import { spawnSync } from 'node:child_process';
import { run } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench.mjs <entry.ts> [args…]');
  process.exit(2);
}
const args = [
  '--disable-warning=NodeVersionSupportWarning',
  '--import',
  'tsx',
  entry,
  ...rest.filter((arg) => arg !== '--'),
];
const canUnshare =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
const ok = canUnshare
  ? run('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec node ${quoted}`])
  : run('node', args);
process.exit(ok ? 0 : 1);
