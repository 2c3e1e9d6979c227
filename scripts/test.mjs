// The one test command: installs what it needs, runs every check and every test, and
// ends with a plain "N passed, N failed" line (each static check counts as one test).
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureChromium, install, run } from './lib.mjs';
import { runChecks } from './parallel-checks.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const bin = (name) => `node_modules/.bin/${name}`;

if (!install()) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// The HTML reports' browser spec needs Chromium; a failure here shows up as that spec failing.
ensureChromium();

// Longest first (CPU seconds on a fresh clone of this 2-core machine, measured one at a time:
// tsc -b ~65 with the scripts' project, prettier 26, eslint 20, the rest under 15), so the two
// lanes end close together. The scripts (policy-check, migrate, their specs) are a project of
// the tsc -b graph: they read the packages' declarations instead of re-checking their sources.
const checks = [
  ['type-check (tsc -b)', bin('tsc'), ['-b']],
  ['format (prettier --check)', bin('prettier'), ['--check', '.', '--log-level=warn']],
  ['lint (eslint)', bin('eslint'), ['.', '--max-warnings=0']],
  ['lambda bundles (esbuild)', 'node', ['packages/runtime-lambda/scripts/build.mjs']],
  ['dependency boundaries', 'node', ['scripts/check-boundaries.mjs']],
].filter(([, , args]) => !(args[0]?.endsWith('.mjs') && !existsSync(args[0])));
let { passed, failed } = await runChecks(checks);

// DynamoDB Local binds every interface; run the tests in a private network namespace
// (only loopback) when we can, so nothing but this machine's tests can reach it.
const results = '.jest-results.json';
rmSync(results, { force: true });
const jestArgs = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  // Four workers on two cores: the e2e suites wait on DynamoDB Local, the emulators and their
  // simulated clocks, so two workers left the cores idle (jest 414 s with 2, 316 s with 3,
  // 264 s with 4 on a fresh clone of this 2-core machine, 1899 tests, no failure).
  '--maxWorkers=4',
  '--json',
  `--outputFile=${results}`,
  ...process.argv.slice(2),
];
const canUnshare =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
const quoted = jestArgs.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
console.log(`\n== tests (jest${canUnshare ? ', private network namespace' : ''})`);
if (canUnshare) run('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec node ${quoted}`]);
else run('node', jestArgs);

if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (report.numTotalTests === 0) failed += 1;
} else {
  console.log('FAILED: jest wrote no results');
  failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
