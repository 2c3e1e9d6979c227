// `npm run demo`: installs the workspace, then runs Hangar's local control plane over a bundled
// workload trace in simulated time, prints a summary and writes demo-report.json (or --report PATH).
// Exits non-zero when an invariant fails (a duplicate launch, a pool above its maximum, a job
// that never completed).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { install, run } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const cwd = process.cwd();
process.chdir(root);

if (!install()) {
  console.error('demo: installing the workspace failed (pnpm install --frozen-lockfile); fix that and retry');
  process.exit(1);
}

// The report lands in the directory the command was run from unless --report says otherwise.
const args = process.argv.slice(2);
const reportIndex = args.indexOf('--report');
const reportPath =
  reportIndex >= 0 && args[reportIndex + 1]
    ? resolve(cwd, args[reportIndex + 1])
    : resolve(cwd, 'demo-report.json');
const passThrough = args.filter((_, i) => i !== reportIndex && i !== reportIndex + 1);
const entry = [
  // The AWS SDK warns that its 2027 releases need Node 22; the versions pinned here run on 20.
  '--disable-warning=NodeVersionSupportWarning',
  '--import',
  'tsx',
  'packages/runtime-lambda/src/local/demo.ts',
  '--workload',
  'scripts/demo/workload.json',
  '--report',
  reportPath,
  ...passThrough,
];

// DynamoDB Local binds every interface: when we can, run the demo in a private network
// namespace where only loopback exists (nothing else is needed once installed).
const canUnshare =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
const quoted = entry.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
const ok = canUnshare
  ? run('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec node ${quoted}`])
  : run('node', entry);
process.exit(ok ? 0 : 1);
