// Shared by the root scripts (test, demo, policy-check): a pinned pnpm and a step runner.
// Plain Node only: these scripts run before anything is installed.
import { spawnSync } from 'node:child_process';

export const PNPM_VERSION = '10.34.9';

/** Runs a command inheriting stdio; returns true on exit code 0. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) console.error(`could not start ${cmd}: ${result.error.message}`);
  return result.status === 0;
}

function installedPnpmVersion() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** The pnpm command line to use: the machine's pnpm when it is the pinned one, else npx. */
export function pnpmCommand() {
  return installedPnpmVersion() === PNPM_VERSION ? ['pnpm', []] : ['npx', ['--yes', `pnpm@${PNPM_VERSION}`]];
}

/** Installs the workspace exactly as locked; `options` go to spawnSync (e.g. `stdio`). */
export function install(options = {}) {
  const [cmd, prefix] = pnpmCommand();
  return run(cmd, [...prefix, 'install', '--frozen-lockfile', '--reporter=append-only'], options);
}
