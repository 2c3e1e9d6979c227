import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBootScript, type BootRun, type BootSandboxOptions } from './support/boot-sandbox';
import { BOOTSTRAP, bootValues, renderBootstrap } from './support/templates';

// The user-data knobs of issue 12, proven by running start-runner.sh for real against stubs
// (support/boot-sandbox.ts) with a fake runner tarball: a real gzip archive whose run.sh reads
// the runner's .env like the runner does and runs the job hooks around a "job".

const SECRET_PATH = '/hangar/runners/j7-1.00112233445566778899aabbccddeeff';
const JIT = 'eyJqaXQiOiJmYWtlIn0=';
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** A script body that records its own call (the harness logs it under the script's file name). */
const RECORDS = '. "$HARNESS/bin/_log.sh"\nharness_log "$@"\n';

/** The fake actions/runner archive: run.sh, config.sh and bin/installdependencies.sh. */
function runnerTarball(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-runner-tarball-'));
  try {
    const files: Record<string, string> = {
      // Like the runner: .env of its directory into the environment, then the job-started hook,
      // the job, the job-completed hook.
      'run.sh': `#!/bin/bash
${RECORDS}dir=$(dirname "$0")
if [ -f "$dir/.env" ]; then set -a; . "$dir/.env"; set +a; fi
[ -z "\${ACTIONS_RUNNER_HOOK_JOB_STARTED:-}" ] || bash "$ACTIONS_RUNNER_HOOK_JOB_STARTED"
[ -z "\${ACTIONS_RUNNER_HOOK_JOB_COMPLETED:-}" ] || bash "$ACTIONS_RUNNER_HOOK_JOB_COMPLETED"
`,
      'config.sh': `#!/bin/bash\n${RECORDS}`,
      'bin/installdependencies.sh': `#!/bin/bash\n${RECORDS}`,
    };
    mkdirSync(join(dir, 'bin'));
    for (const [name, body] of Object.entries(files)) {
      writeFileSync(join(dir, name), body);
      chmodSync(join(dir, name), 0o755);
    }
    const tar = spawnSync('tar', ['-czf', join(dir, 'runner.tar.gz'), '-C', dir, ...Object.keys(files)]);
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
    return readFileSync(join(dir, 'runner.tar.gz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TARBALL = runnerTarball();
const AGENT_CTL = '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl';
/** Installs a CloudWatch agent whose ctl records its call and the configuration it was given. */
const installAgent = [
  'mkdir -p /opt/aws/amazon-cloudwatch-agent/bin',
  `printf '%s\\n' '#!/bin/bash' '. "$HARNESS/bin/_log.sh"' 'harness_log "$@" "$(cat /opt/aws/amazon-cloudwatch-agent/etc/hangar.json)"' > ${AGENT_CTL}`,
  `chmod +x ${AGENT_CTL}`,
].join('\n');

/** An Amazon Linux 2023 machine: dnf, the AWS CLI, the agent in dnf's repositories. */
function amazonLinux(secret: string): BootSandboxOptions {
  return {
    imds: {
      'instance-id': 'i-0aa11bb22cc33dd44',
      'tags/instance/hangar:runner-id': 'j7-1',
      'tags/instance/hangar:pool-id': 'linux',
      'tags/instance/hangar:secret-path': SECRET_PATH,
    },
    parameters: { [SECRET_PATH]: secret },
    s3: { 'hangar-binaries/actions-runner-linux-x64.tar.gz': TARBALL },
    packages: { 'amazon-cloudwatch-agent': installAgent },
  };
}

const jit = JSON.stringify({ kind: 'jit', jitConfig: JIT });
const script = (values: Record<string, string> = {}) =>
  renderBootstrap('start-runner.sh', bootValues('linux', values));
/** `command first-arg second-arg` of every call, in order. */
const steps = (run: BootRun) => run.calls.map((c) => [c.command, ...c.args.slice(0, 3)].join(' '));
const indexOf = (run: BootRun, prefix: string) => steps(run).findIndex((s) => s.startsWith(prefix));

describe('start-runner.sh features, run against stubs with a fake runner tarball', () => {
  it('JIT runner on Amazon Linux: pre snippet, agent, Docker for the runner user, runner, hooks in .env, post snippet, then the runner runs the hooks around its job', () => {
    const run = runBootScript(
      script({
        pre_install_base64: b64(RECORDS),
        post_install_base64: b64(RECORDS),
        hook_job_started_base64: b64(RECORDS),
        hook_job_completed_base64: b64(RECORDS),
        cloudwatch_config_base64: b64('{"logs":{"custom":true}}'),
      }),
      amazonLinux(jit),
    );
    expect(run.output).toContain('ephemeral runner done');
    const order = [
      'aws ssm delete-parameter',
      'userdata_pre_install.sh',
      'dnf install -y amazon-cloudwatch-agent',
      'amazon-cloudwatch-agent-ctl -a fetch-config',
      'useradd --create-home ec2-user',
      'dnf install -y docker',
      'systemctl enable --now docker',
      'usermod -aG docker ec2-user',
      'tar -xzf /tmp/actions-runner.tar.gz',
      'installdependencies.sh',
      'userdata_post_install.sh',
      'sudo -u ec2-user -H',
      `run.sh --jitconfig ${JIT}`,
      'job-started.sh',
      'job-completed.sh',
      'shutdown -h now',
    ].map((step) => [step, indexOf(run, step)]);
    expect(order.filter(([, at]) => at === -1)).toEqual([]);
    const positions = order.map(([, at]) => Number(at));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The agent got the configuration Terraform rendered, verbatim.
    const ctl = run.calls.find((c) => c.command === 'amazon-cloudwatch-agent-ctl');
    expect(ctl?.args.at(-1)).toBe('{"logs":{"custom":true}}');
    // The snippets see the runner's identity, never its secret.
    expect(run.environments).toContain('HANGAR_RUNNER_ID=j7-1');
    expect(run.environments).not.toContain(JIT);
  });

  it('registration token for a single-job runner (enable_jit_config = false, default labels off): config.sh --ephemeral --no-default-labels, then run.sh', () => {
    const secret = JSON.stringify({
      kind: 'registration',
      token: 'AABBREGTOKEN',
      url: 'https://ghes.example.com/acme',
      name: 'hgr-j7-1',
      labels: ['self-hosted', 'gpu'],
      runnerGroup: null,
      ephemeral: true,
      noDefaultLabels: true,
    });
    const run = runBootScript(script({ install_docker: 'false' }), amazonLinux(secret));
    const config = run.calls.find((c) => c.command === 'config.sh');
    expect(config?.args).toEqual([
      '--unattended',
      '--replace',
      '--disableupdate',
      '--url',
      'https://ghes.example.com/acme',
      '--token',
      'AABBREGTOKEN',
      '--name',
      'hgr-j7-1',
      '--labels',
      'self-hosted,gpu',
      '--ephemeral',
      '--no-default-labels',
    ]);
    expect(indexOf(run, 'run.sh')).toBeGreaterThan(indexOf(run, 'config.sh'));
    expect(steps(run).some((s) => s.includes('docker'))).toBe(false);
  });

  it('Ubuntu (apt-get, no AWS CLI): installs the CLI first, then Docker as docker.io and the CloudWatch agent from its .deb', () => {
    const machine = amazonLinux(jit);
    const run = runBootScript(script({ runner_user: 'ubuntu' }), {
      ...machine,
      absent: ['dnf', 'yum', 'aws'],
      packages: {
        awscli: 'cp "$HARNESS/absent/aws" "$HARNESS/bin/aws"',
        'amazon-cloudwatch-agent': installAgent,
      },
      http: {
        'https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb':
          'a .deb',
      },
    });
    expect(run.output).toContain('ephemeral runner done');
    const at = (prefix: string) => indexOf(run, prefix);
    // The one install before the secret is the CLI that reads it.
    expect(at('apt-get update')).toBeLessThan(at('apt-get install -y awscli'));
    expect(at('apt-get install -y awscli')).toBeLessThan(at('aws ssm get-parameter'));
    expect(
      steps(run)
        .slice(0, at('aws ssm get-parameter'))
        .filter((s) => !s.startsWith('curl')),
    ).toEqual(['apt-get update -y', 'apt-get install -y awscli']);
    expect(at('dpkg -i -E /tmp/amazon-cloudwatch-agent.deb')).toBeGreaterThan(at('aws ssm delete-parameter'));
    expect(at('amazon-cloudwatch-agent-ctl -a fetch-config')).toBeGreaterThan(-1);
    expect(at('apt-get install -y docker.io')).toBeGreaterThan(-1);
    expect(at('usermod -aG docker ubuntu')).toBeGreaterThan(at('apt-get install -y docker.io'));
    expect(steps(run).filter((s) => s.startsWith('apt-get update'))).toHaveLength(1);
    expect(steps(run).some((s) => s.startsWith('dnf') || s.startsWith('yum'))).toBe(false);
  });

  it('prebuilt image: runs the baked runner, installs no Docker, downloads nothing; agent off when disabled', () => {
    const run = runBootScript(script({ prebuilt_image: 'true', enable_cloudwatch_agent: 'false' }), {
      ...amazonLinux(jit),
      files: { '/opt/actions-runner/run.sh': `#!/bin/bash\n${RECORDS}` },
    });
    expect(run.output).toContain('using the runner baked into the image');
    expect(run.output).toContain('Docker is not installed at boot');
    expect(run.output).toContain('CloudWatch agent off');
    expect(steps(run).filter((s) => /^(dnf|tar|aws s3|systemctl|usermod)/.test(s))).toEqual([]);
    expect(run.calls.find((c) => c.command === 'run.sh')?.args).toEqual(['--jitconfig', JIT]);
  });

  it('runner_as_root: creates no user, runs the runner as root with RUNNER_ALLOW_RUNASROOT, adds nobody to docker', () => {
    const run = runBootScript(script({ runner_as_root: 'true' }), amazonLinux(jit));
    expect(run.output).toContain('starting just-in-time runner j7-1 as root');
    expect(steps(run).filter((s) => /^(sudo|useradd|usermod|chown)/.test(s))).toEqual([]);
    expect(indexOf(run, 'systemctl enable --now docker')).toBeGreaterThan(-1);
    const runnerEnv = run.environments.split('### ').find((e) => e.startsWith('run.sh'));
    expect(runnerEnv).toContain('RUNNER_ALLOW_RUNASROOT=1');
  });

  it('a failing userdata_pre_install fails the boot, naming the snippet, and powers off before installing anything', () => {
    const run = runBootScript(script({ pre_install_base64: b64('exit 3') }), amazonLinux(jit));
    expect(run.output).toContain('userdata_pre_install exited with status 3');
    expect(steps(run).at(-1)).toBe('shutdown -h now');
    expect(steps(run).some((s) => /^(dnf|tar|run\.sh)/.test(s))).toBe(false);
    expect(run.status).not.toBe(0);
  });
});

describe('fargate-entrypoint.sh with enable_jit_config = false', () => {
  const entrypoint = readFileSync(join(BOOTSTRAP, 'fargate-entrypoint.sh'), 'utf8');
  const task = (secret: string): BootSandboxOptions => ({
    env: {
      AWS_REGION: 'us-east-1',
      HANGAR_RUNNER_ID: 'j7-1',
      HANGAR_SECRET_PATH: SECRET_PATH,
      HANGAR_BINARIES_BUCKET: 'hangar-binaries',
      RUNNER_DIR: '/home/runner/actions-runner',
    },
    parameters: { [SECRET_PATH]: secret },
    s3: { 'hangar-binaries/actions-runner-linux-x64.tar.gz': TARBALL },
  });
  const registration = (extra: object) =>
    JSON.stringify({
      kind: 'registration',
      token: 'TOK',
      url: 'https://github.com/acme',
      name: 'n',
      labels: ['a', 'b'],
      runnerGroup: 'ci',
      ...extra,
    });

  it('registers a single-job runner with config.sh --ephemeral, then runs it', () => {
    const run = runBootScript(entrypoint, task(registration({ ephemeral: true, noDefaultLabels: true })));
    expect(run.calls.find((c) => c.command === 'config.sh')?.args).toEqual([
      '--unattended',
      '--ephemeral',
      '--disableupdate',
      '--url',
      'https://github.com/acme',
      '--token',
      'TOK',
      '--name',
      'n',
      '--labels',
      'a,b',
      '--runnergroup',
      'ci',
      '--no-default-labels',
    ]);
    expect(run.calls.at(-1)).toMatchObject({ command: 'run.sh', args: [] });
    expect(run.environments).not.toContain('TOK');
  });

  it('refuses a registration that is not single-job', () => {
    const run = runBootScript(entrypoint, task(registration({})));
    expect(run.output).toContain('not ephemeral');
    expect(run.status).toBe(1);
    expect(run.calls.some((c) => c.command === 'config.sh')).toBe(false);
  });
});
