import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBootScript, type BootRun, type StubCall } from './support/boot-sandbox';
import { BOOTSTRAP, bootValues, renderBootstrap } from './support/templates';

// The boot scripts run for real (bash, in a sandbox of stubs): the runner secret must be read
// and deleted before anything is downloaded or installed, so it sits in SSM for the shortest
// time, and a missing secret must end the boot in bounded time with a clear reason.

const SECRET_PATH = '/hangar/runners/j42-1.0123456789abcdef0123456789abcdef';
const JIT = 'eyJqaXQiOiJjb25maWcifQ==';
const WAIT_SECONDS = 20;

const linux = renderBootstrap(
  'start-runner.sh',
  bootValues('linux', { secret_wait_s: String(WAIT_SECONDS), install_docker: 'false' }),
);
const machine = {
  imds: {
    'instance-id': 'i-0123456789abcdef0',
    'tags/instance/hangar:runner-id': 'j42-1',
    'tags/instance/hangar:pool-id': 'linux',
    'tags/instance/hangar:secret-path': SECRET_PATH,
  },
  s3: { 'hangar-binaries/actions-runner-linux-x64.tar.gz': 'runner archive' },
  packages: {
    'amazon-cloudwatch-agent': [
      'mkdir -p /opt/aws/amazon-cloudwatch-agent/bin /opt/aws/amazon-cloudwatch-agent/etc',
      'cp "$HARNESS/bin/shutdown" /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl',
    ].join('\n'),
  },
};
const jit = (value = JIT) => JSON.stringify({ kind: 'jit', jitConfig: value });

const isSecretRead = (c: StubCall) =>
  c.command === 'aws' && c.args[0] === 'ssm' && c.args[1] === 'get-parameter';
const isSecretDelete = (c: StubCall) =>
  c.command === 'aws' && c.args[0] === 'ssm' && c.args[1] === 'delete-parameter';
/** Anything that fetches or installs software, or starts a daemon. */
const isDownloadOrInstall = (c: StubCall) =>
  ['dnf', 'yum', 'apt-get', 'tar', 'installdependencies.sh', 'amazon-cloudwatch-agent-ctl'].includes(
    c.command,
  ) ||
  (c.command === 'aws' && c.args[0] === 's3') ||
  (c.command === 'curl' && !c.args.some((a) => a.startsWith('http://169.254.169.254/')));

function order(run: BootRun) {
  const names = run.calls.map((c) => `${c.command} ${c.args.slice(0, 2).join(' ')}`.trim());
  const lastRead = run.calls.findLastIndex(isSecretRead);
  const deleted = run.calls.findIndex(isSecretDelete);
  const firstInstall = run.calls.findIndex(isDownloadOrInstall);
  return { names, lastRead, deleted, firstInstall };
}

describe('start-runner.sh (EC2, Linux) run against stubs', () => {
  it('reads and deletes its secret before any download or install, then runs the JIT runner as the runner user', () => {
    const run = runBootScript(linux, { ...machine, parameters: { [SECRET_PATH]: jit() } });
    expect(run.output).toContain('ephemeral runner done');
    const { names, lastRead, deleted, firstInstall } = order(run);
    expect(lastRead).toBeGreaterThan(-1);
    expect(deleted).toBe(lastRead + 1);
    expect(firstInstall).toBeGreaterThan(deleted);
    // Only IMDS was asked before the secret: no package manager, no S3, no other host.
    expect(names.slice(0, lastRead).every((name) => name.startsWith('curl'))).toBe(true);
    expect(run.parameters).toEqual([]);
    const runner = run.calls.find((c) => c.command === 'run.sh');
    expect(runner?.args).toEqual(['--jitconfig', JIT]);
    expect(run.calls.find((c) => c.command === 'sudo')?.args.slice(0, 2)).toEqual(['-u', 'ec2-user']);
    expect(names.at(-1)).toBe('shutdown -h now');
  });

  it('keeps the secret out of the environment of every command it runs', () => {
    const run = runBootScript(linux, { ...machine, parameters: { [SECRET_PATH]: jit() } });
    expect(run.calls.some((c) => c.command === 'run.sh')).toBe(true);
    expect(run.environments).not.toContain(JIT);
  });

  it('registers a reusable runner with config.sh as the runner user, the token read first', () => {
    const registration = JSON.stringify({
      kind: 'registration',
      token: 'AABBCCREGISTRATIONTOKEN',
      url: 'https://github.com/acme',
      name: 'hgr-j42-1',
      labels: ['self-hosted', 'linux'],
      runnerGroup: 'ci',
    });
    const run = runBootScript(linux, { ...machine, parameters: { [SECRET_PATH]: registration } });
    const { deleted, firstInstall } = order(run);
    expect(firstInstall).toBeGreaterThan(deleted);
    const config = run.calls.find((c) => c.command === 'config.sh');
    expect(config?.args).toEqual(
      expect.arrayContaining([
        '--token',
        'AABBCCREGISTRATIONTOKEN',
        '--runnergroup',
        'ci',
        '--name',
        'hgr-j42-1',
      ]),
    );
  });

  it('waits a bounded time for a missing secret, says why, powers off, and downloads nothing', () => {
    const run = runBootScript(linux, machine);
    const reads = run.calls.filter(isSecretRead);
    expect(reads).toHaveLength(WAIT_SECONDS / 5 + 1);
    expect(run.calls.filter((c) => c.command === 'sleep')).toHaveLength(WAIT_SECONDS / 5);
    expect(run.output).toContain(`no runner secret at ${SECRET_PATH} after ${WAIT_SECONDS} s`);
    expect(run.calls.some((c) => c.command === 'shutdown' && c.args.join(' ') === '-h now')).toBe(true);
    expect(run.calls.some(isDownloadOrInstall)).toBe(false);
    expect(run.status).not.toBe(0);
  });
});

describe('fargate-entrypoint.sh run against stubs', () => {
  const entrypoint = readFileSync(join(BOOTSTRAP, 'fargate-entrypoint.sh'), 'utf8');
  const task = {
    env: {
      AWS_REGION: 'us-east-1',
      HANGAR_RUNNER_ID: 'j42-1',
      HANGAR_SECRET_PATH: SECRET_PATH,
      HANGAR_BINARIES_BUCKET: 'hangar-binaries',
      HANGAR_SECRET_WAIT_SECONDS: String(WAIT_SECONDS),
      RUNNER_DIR: '/home/runner/actions-runner',
    },
    s3: machine.s3,
  };

  it('reads and deletes its secret before downloading the runner, then runs it with the JIT config', () => {
    const run = runBootScript(entrypoint, { ...task, parameters: { [SECRET_PATH]: jit() } });
    const { lastRead, deleted, firstInstall } = order(run);
    expect(lastRead).toBe(0);
    expect(deleted).toBe(1);
    expect(firstInstall).toBeGreaterThan(deleted);
    expect(run.calls.at(-1)).toMatchObject({ command: 'run.sh', args: ['--jitconfig', JIT] });
    expect(run.parameters).toEqual([]);
    expect(run.environments).not.toContain(JIT);
  });

  it('waits a bounded time for a missing secret, says why, and exits (the task stops) without downloading', () => {
    const run = runBootScript(entrypoint, task);
    expect(run.calls.filter(isSecretRead).length).toBeLessThanOrEqual(WAIT_SECONDS / 3 + 2);
    expect(run.output).toContain(`no runner secret at ${SECRET_PATH} after ${WAIT_SECONDS} s`);
    expect(run.status).toBe(1);
    expect(run.calls.some(isDownloadOrInstall)).toBe(false);
  });
});
