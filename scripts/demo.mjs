// `npm run demo`: installs the workspace, then runs Hangar's local control plane over a bundled
// workload trace in simulated time, prints a summary and writes demo-report.json and
// demo-report.html (or --report PATH). `--keep` leaves DynamoDB Local up with the run's history
// for `npm run hangar` (and prints the commands); `--stop` ends it.
// Exits non-zero when an invariant fails (a duplicate launch, a pool above its maximum, a job
// that never completed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { install, run } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const cwd = process.cwd();
process.chdir(root);

// --stop ends the DynamoDB Local a `--keep` run left up; --keep leaves it up after this run.
const stateFile = resolve(root, '.hangar-demo.json');
if (process.argv.includes('--stop')) process.exit(stopKept(stateFile) ? 0 : 1);
const keep = process.argv.includes('--keep');
if (keep) stopKept(stateFile, true);

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
const passThrough = args
  .filter((_, i) => i !== reportIndex && i !== reportIndex + 1)
  .filter((arg) => arg !== '--keep');
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
  ...(keep ? ['--keep', stateFile] : []),
  ...passThrough,
];

// DynamoDB Local binds every interface: when we can, run the demo in a private network
// namespace where only loopback exists (nothing else is needed once installed).
// A kept DynamoDB Local must be reachable from the shell afterwards, so --keep runs outside it.
const canUnshare =
  !keep &&
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
const quoted = entry.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
// The AWS SDK warns on every start that its 2027 releases need Node 22 (the flag above does not
// catch it: it is emitted as a plain Warning); the versions pinned here run on 20.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
const ok = canUnshare
  ? run('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec node ${quoted}`], { env })
  : run('node', entry, { env });
process.exit(ok ? 0 : 1);

/** Ends the DynamoDB Local a --keep run started (by the pid it recorded, if that is still it). */
function stopKept(file, quiet = false) {
  if (!existsSync(file)) {
    if (!quiet) console.log('demo: no kept DynamoDB Local (nothing to stop)');
    return true;
  }
  const { pid } = JSON.parse(readFileSync(file, 'utf8'));
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone already (or no /proc): nothing of ours to stop.
  }
  if (cmdline.includes('DynamoDBLocal')) {
    process.kill(pid, 'SIGTERM');
    console.log(`demo: stopped the kept DynamoDB Local (pid ${pid})`);
  } else if (!quiet) console.log(`demo: the kept DynamoDB Local (pid ${pid}) is not running any more`);
  rmSync(file, { force: true });
  return true;
}
