import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeRunnerSecret, type RunnerSecret } from '@hangar/core';
import { startEc2Emulator, type Ec2EmulatorHandle } from '@hangar/test-support/aws/ec2';
import { startEcsEmulator, type EcsEmulatorHandle } from '@hangar/test-support/aws/ecs';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';
import { createGitHubClients, GitHubRunnerRegistry } from '@hangar/adapter-github';
import { RunnerAgentSimulator } from './runner-agent';
import { SimulatedClock } from './sim-clock';
import { SsmWire } from './ssm-wire';

let clock: SimulatedClock;
let fake: FakeGitHub;
let ec2: Ec2EmulatorHandle;
let ecs: EcsEmulatorHandle;
let ssm: SsmEmulator;
let wire: SsmWire;
let agent: RunnerAgentSimulator;
let registry: GitHubRunnerRegistry;

const ROLE_IDS = { ec2: 'AROAAGENTSPECRUNNER1', fargate: 'AROAAGENTSPECTASK001' };

/** A runner secret bound to one instance, as scale-up writes it (the tag IAM compares with aws:userid). */
async function putSecret(path: string, secret: RunnerSecret, instanceId: string): Promise<void> {
  await wire.put(path, encodeRunnerSecret(secret), 'SecureString', {
    'hangar:principal': `${ROLE_IDS.ec2}:${instanceId}`,
  });
}

beforeEach(async () => {
  clock = new SimulatedClock();
  fake = await startFakeGitHub({ now: () => clock.nowMs() });
  const app = fake.addApp();
  fake.addRepo('acme/web');
  fake.install(app.appId, 'acme');
  registry = new GitHubRunnerRegistry(createGitHubClients({ apps: [app], baseUrl: fake.url }));
  ec2 = await startEc2Emulator({
    clock: () => clock.date(),
    advanceOnDescribe: false,
    subnets: { 'subnet-0a': 'us-east-1a' },
  });
  ec2.addLaunchTemplate({ name: 'runner', instanceType: 'm5.large', imageId: 'ami-0123456789abcdef0' });
  ecs = await startEcsEmulator({ clock: () => clock.date(), advanceOnDescribe: false });
  ssm = await startSsmEmulator({ nowMs: () => clock.nowMs() });
  wire = new SsmWire(ssm.endpoint);
  agent = new RunnerAgentSimulator({
    fake,
    ec2,
    ecs,
    ssm: wire,
    clock,
    tagPrefix: 'hangar',
    bootDelayMs: 30_000,
    secretWaitMs: 60_000,
    roleIds: ROLE_IDS,
  });
  ec2.onStateChange((change) => agent.onEc2Change(change));
  fake.subscribe((event) => agent.onGitHubEvent(event));
});

afterEach(async () => {
  await fake.close();
  await ec2.close();
  await ecs.close();
  await ssm.stop();
});

/** CreateFleet over the Query protocol, as the SDK would send it: one instance tagged with its secret path. */
async function launch(secretPath: string): Promise<string> {
  const params = new URLSearchParams({
    Action: 'CreateFleet',
    Version: '2016-11-15',
    Type: 'instant',
    'LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName': 'runner',
    'LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version': '$Default',
    'LaunchTemplateConfigs.1.Overrides.1.SubnetId': 'subnet-0a',
    'TargetCapacitySpecification.TotalTargetCapacity': '1',
    'TargetCapacitySpecification.DefaultTargetCapacityType': 'on-demand',
    'TagSpecification.1.ResourceType': 'instance',
    'TagSpecification.1.Tag.1.Key': 'hangar:secret-path',
    'TagSpecification.1.Tag.1.Value': secretPath,
  });
  const response = await fetch(ec2.endpoint, { method: 'POST', body: params.toString() });
  expect(response.status).toBe(200);
  const created = /<instanceIds><item>([^<]+)<\/item>/.exec(await response.text());
  if (!created?.[1]) throw new Error('CreateFleet launched nothing');
  return created[1];
}

async function jitConfig(name: string): Promise<string> {
  const jit = await registry.createJitConfig({
    scope: { level: 'org', owner: 'acme' },
    runnerName: name,
    labels: ['self-hosted', 'linux'],
  });
  if (jit.outcome !== 'issued') throw new Error(`runner name ${name} is taken`);
  return jit.encodedJitConfig;
}

describe('RunnerAgentSimulator', () => {
  it('boots after the boot delay, reads and deletes its JIT secret, and runs a job on the fake GitHub', async () => {
    const instanceId = await launch('/hangar/runners/r1');
    await putSecret('/hangar/runners/r1', { kind: 'jit', jitConfig: await jitConfig('hgr-r1') }, instanceId);
    ec2.advance();
    await agent.step();
    expect(fake.runners()[0]?.status).toBe('offline');
    clock.advance(30_000);
    await agent.step();
    expect(fake.runners()[0]).toMatchObject({ name: 'hgr-r1', status: 'online' });
    expect(await wire.get('/hangar/runners/r1')).toBeNull();

    const { jobId } = fake.queueJob({
      repo: 'acme/web',
      labels: ['self-hosted', 'linux'],
      durationMs: 60_000,
    });
    expect(fake.job(jobId).status).toBe('in_progress');
    clock.advance(60_000);
    fake.tick();
    await agent.step();
    expect(fake.job(jobId).conclusion).toBe('success');
    // The ephemeral runner is gone and its machine powers itself off.
    expect(ec2.instances().find((i) => i.instanceId === instanceId)?.state).toBe('shutting-down');
    expect(agent.stats).toMatchObject({ runnersConnected: 1, selfShutdowns: 1 });
  });

  it('waits for a secret written late, and powers off a machine whose secret never comes', async () => {
    const late = await launch('/hangar/runners/late');
    const never = await launch('/hangar/runners/never');
    ec2.advance();
    clock.advance(30_000);
    await agent.step();
    await putSecret('/hangar/runners/late', { kind: 'jit', jitConfig: await jitConfig('hgr-late') }, late);
    clock.advance(10_000);
    await agent.step();
    clock.advance(60_000);
    await agent.step();
    expect(fake.runners().map((r) => [r.name, r.status])).toEqual([['hgr-late', 'online']]);
    expect(agent.stats).toMatchObject({ runnersConnected: 1, secretsNotFound: 1 });
    expect(ec2.instances().find((i) => i.instanceId === never)?.state).toBe('shutting-down');
  });

  it('takes the runner offline and fails its job when the machine is terminated under it', async () => {
    const instanceId = await launch('/hangar/runners/r2');
    await putSecret('/hangar/runners/r2', { kind: 'jit', jitConfig: await jitConfig('hgr-r2') }, instanceId);
    ec2.advance();
    clock.advance(30_000);
    await agent.step();
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted'], durationMs: 600_000 });
    ec2.setState(instanceId, 'shutting-down');
    await agent.step();
    expect(fake.job(jobId)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(fake.runners()[0]?.status).toBe('offline');
  });

  it('registers a reusable runner with a registration token and keeps its machine after jobs', async () => {
    const { token } = await registry.createRegistrationToken({ level: 'org', owner: 'acme' });
    const instanceId = await launch('/hangar/runners/r3');
    await putSecret(
      '/hangar/runners/r3',
      {
        kind: 'registration',
        token,
        url: 'https://github.com/acme',
        name: 'hgr-r3',
        labels: ['self-hosted', 'linux', 'big'],
        runnerGroup: null,
      },
      instanceId,
    );
    ec2.advance();
    clock.advance(30_000);
    await agent.step();
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: ['big'], durationMs: 1_000 });
    clock.advance(1_000);
    fake.tick();
    await agent.step();
    expect(fake.job(jobId).conclusion).toBe('success');
    expect(fake.runners()[0]).toMatchObject({
      name: 'hgr-r3',
      status: 'online',
      busy: false,
      ephemeral: false,
    });
    expect(ec2.instances().find((i) => i.instanceId === instanceId)?.state).toBe('running');
  });

  it('cannot take a secret bound to another machine or to none: it leaves it, waits, then powers off', async () => {
    const thief = await launch('/hangar/runners/victim');
    const unbound = await launch('/hangar/runners/unbound');
    await putSecret(
      '/hangar/runners/victim',
      { kind: 'jit', jitConfig: await jitConfig('hgr-victim') },
      'i-0000000000000000f',
    );
    await wire.put('/hangar/runners/unbound', encodeRunnerSecret({ kind: 'jit', jitConfig: 'x' }));
    ec2.advance();
    clock.advance(30_000);
    await agent.step();
    clock.advance(60_000);
    await agent.step();
    expect(fake.runners().map((r) => r.status)).toEqual(['offline']);
    expect(await wire.get('/hangar/runners/victim')).not.toBeNull();
    expect(agent.stats).toMatchObject({ runnersConnected: 0, secretsDenied: 2, secretsNotFound: 0 });
    for (const id of [thief, unbound])
      expect(ec2.instances().find((i) => i.instanceId === id)?.state).toBe('shutting-down');
  });
});
