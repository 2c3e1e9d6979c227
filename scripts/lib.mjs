// Shared by the root scripts (test, demo, policy-check): a pinned pnpm and a step runner.
// Plain Node only: these scripts run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium for the HTML report's browser spec (scripts/test/html-report.browser.spec.ts).
 * Skipped at once when it is there; installed as root otherwise (without the recommended
 * packages, which pull in systemd, CUPS and Samba: 130 packages instead of the few it needs,
 * plus one font so the charts' text renders). Returns false when it is missing and cannot be
 * installed; the spec then fails naming the path.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.log(
      `${CHROMIUM} is missing and this is not root: install Debian's chromium package for the browser spec`,
    );
    return false;
  }
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok =
    run('apt-get', ['update', '-qq'], { env }) &&
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], {
      env,
    });
  console.log(
    `chromium ${ok ? 'installed' : 'could not be installed'} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return ok && existsSync(CHROMIUM);
}
