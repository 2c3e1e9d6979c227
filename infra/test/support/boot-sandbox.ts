import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STUBS = join(dirname(fileURLToPath(import.meta.url)), 'boot-stubs');
/** Where the sandbox directory appears inside the script's mount namespace. */
const INSIDE = '/run/harness';
/** Stub script → the command names it answers to on PATH. */
const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  aws: ['aws'],
  curl: ['curl'],
  tar: ['tar'],
  sudo: ['sudo'],
  'package-manager': ['dnf', 'yum', 'apt-get', 'snap', 'dpkg'],
  recorder: ['shutdown', 'poweroff', 'useradd', 'usermod', 'groupadd', 'id', 'chown', 'sleep', 'systemctl'],
};
/**
 * Directories each run gets empty (tmpfs over the host's, which must exist), so a script may
 * write where it would on a machine without touching this one.
 */
const SCRATCH = ['/tmp', '/opt', '/var/log', '/home', '/srv'];

/** What the machine looks like to the script. */
export interface BootSandboxOptions {
  /** Instance metadata below /latest/meta-data/ (`instance-id`, `tags/instance/hangar:secret-path`). */
  readonly imds?: Readonly<Record<string, string>>;
  /** Parameter Store: name → value. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** S3 objects: `<bucket>/<key>` → content (a gzip archive is extracted by the real tar). */
  readonly s3?: Readonly<Record<string, string | Buffer>>;
  /** Files other URLs serve to `curl` (downloads): URL → content. */
  readonly http?: Readonly<Record<string, string | Buffer>>;
  /**
   * Stubbed commands this image does not have (e.g. `dnf` and `yum` on Ubuntu, `aws`); each
   * waits in `$HARNESS/absent/<name>` for a package hook to install it into `$HARNESS/bin`.
   */
  readonly absent?: readonly string[];
  /** Files the image already has (absolute path in a scratch directory → content, executable). */
  readonly files?: Readonly<Record<string, string>>;
  /** Install hooks run by the package-manager stub: package name → bash script. */
  readonly packages?: Readonly<Record<string, string>>;
  /** The script's environment (besides PATH and HARNESS); cloud-init gives user data almost none. */
  readonly env?: Readonly<Record<string, string>>;
}

/** One command a stub answered, in the order the script ran them. */
export interface StubCall {
  readonly atNs: bigint;
  readonly command: string;
  readonly args: readonly string[];
}

export interface BootRun {
  readonly status: number | null;
  /** stdout and stderr of the script. */
  readonly output: string;
  readonly calls: readonly StubCall[];
  /** The environment of every stubbed command, concatenated (to check what leaked into it). */
  readonly environments: string;
  /** Parameters left in Parameter Store after the run. */
  readonly parameters: readonly string[];
}

/**
 * Runs a boot script (bash) for real against stubs: in its own mount namespace (the scratch
 * directories are empty tmpfs, so nothing on this machine changes), with PATH leading to stub
 * `aws`, `curl` (IMDS), `tar`, package managers, `sudo`, `shutdown`, `useradd`, `sleep`… that log
 * every call with its arguments, time and environment. Needs root (unshare --mount), as the test
 * suite already does for its network namespace. Bounded by `timeoutMs`; the script's processes
 * are killed with unshare when it times out (--kill-child).
 */
export function runBootScript(script: string, options: BootSandboxOptions = {}, timeoutMs = 30_000): BootRun {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-boot-'));
  try {
    prepare(dir, script, options);
    const env = Object.entries({ ...options.env, HARNESS: INSIDE, PATH: `${INSIDE}/bin:/usr/bin:/bin` })
      .map(([name, value]) => `${name}=${shellQuote(value)}`)
      .join(' ');
    const setup = [
      'set -e',
      'mount -t tmpfs none /run',
      `mkdir -p ${INSIDE}`,
      `mount --bind ${shellQuote(dir)} ${INSIDE}`,
      ...SCRATCH.map((path) => `mount -t tmpfs none ${path}`),
      ...Object.keys(options.files ?? {}).map(
        (path) =>
          `mkdir -p ${shellQuote(dirname(path))} && cp ${INSIDE}/image${shellQuote(path)} ${shellQuote(path)}`,
      ),
      `exec env -i ${env} bash ${INSIDE}/script.sh`,
    ].join('\n');
    const run = spawnSync('unshare', ['--mount', '--fork', '--kill-child', 'sh', '-c', setup], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    if (run.error) throw run.error;
    return {
      status: run.status,
      output: `${run.stdout}${run.stderr}`,
      calls: readCalls(join(dir, 'calls.log')),
      environments: existsSync(join(dir, 'envs.log')) ? readFileSync(join(dir, 'envs.log'), 'utf8') : '',
      parameters: readdirSync(join(dir, 'ssm')).map((file) => file.replaceAll('%2F', '/')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function prepare(dir: string, script: string, options: BootSandboxOptions): void {
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'absent'));
  copyFileSync(join(STUBS, '_log.sh'), join(dir, 'bin', '_log.sh'));
  for (const [stub, names] of Object.entries(COMMANDS)) {
    for (const name of names) {
      const target = join(dir, options.absent?.includes(name) ? 'absent' : 'bin', name);
      copyFileSync(join(STUBS, stub), target);
      chmodSync(target, 0o755);
    }
  }
  for (const [path, content] of Object.entries(options.files ?? {})) {
    if (!SCRATCH.some((scratch) => path.startsWith(`${scratch}/`)))
      throw new Error(`${path}: image files go in a scratch directory (${SCRATCH.join(', ')})`);
    mkdirSync(dirname(join(dir, 'image', path)), { recursive: true });
    writeFileSync(join(dir, 'image', path), content, { mode: 0o755 });
  }
  const keyed = (folder: string, entries: Readonly<Record<string, string | Buffer>> = {}) => {
    mkdirSync(join(dir, folder), { recursive: true });
    for (const [key, value] of Object.entries(entries))
      writeFileSync(join(dir, folder, key.replaceAll('/', '%2F')), value);
  };
  keyed('imds', options.imds);
  keyed('ssm', options.parameters);
  keyed('http', options.http);
  keyed(
    'packages',
    Object.fromEntries(Object.entries(options.packages ?? {}).map(([k, v]) => [`${k}.sh`, v])),
  );
  for (const [path, content] of Object.entries(options.s3 ?? {})) {
    mkdirSync(dirname(join(dir, 's3', path)), { recursive: true });
    writeFileSync(join(dir, 's3', path), content);
  }
  writeFileSync(join(dir, 'calls.log'), '');
  writeFileSync(join(dir, 'script.sh'), script);
}

function readCalls(file: string): StubCall[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [at = '0', command = '', ...encoded] = line.split(' ');
      return {
        atNs: BigInt(at),
        command,
        args: encoded.map((arg) => Buffer.from(arg, 'base64').toString('utf8')),
      };
    });
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
