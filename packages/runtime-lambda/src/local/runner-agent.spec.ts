import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeRunnerSecret } from '@hangar/core';
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
  const { encodedJitConfig } = await registry.createJitConfig({
    scope: { level: 'org', owner: 'acme' },
    runnerName: name,
    labels: ['self-hosted', 'linux'],
  });
  return encodedJitConfig;
}

describe('RunnerAgentSimulator', () => {
  it('boots after the boot delay, reads and deletes its JIT secret, and runs a job on the fake GitHub', async () => {
    await wire.put(
      '/hangar/runners/r1',
      encodeRunnerSecret({ kind: 'jit', jitConfig: await jitConfig('hgr-r1') }),
    );
    const instanceId = await launch('/hangar/runners/r1');
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
    await launch('/hangar/runners/late');
    const never = await launch('/hangar/runners/never');
    ec2.advance();
    clock.advance(30_000);
    await agent.step();
    await wire.put(
      '/hangar/runners/late',
      encodeRunnerSecret({ kind: 'jit', jitConfig: await jitConfig('hgr-late') }),
    );
    clock.advance(10_000);
    await agent.step();
    clock.advance(60_000);
    await agent.step();
    expect(fake.runners().map((r) => [r.name, r.status])).toEqual([['hgr-late', 'online']]);
    expect(agent.stats).toMatchObject({ runnersConnected: 1, secretsNotFound: 1 });
    expect(ec2.instances().find((i) => i.instanceId === never)?.state).toBe('shutting-down');
  });

  it('takes the runner offline and fails its job when the machine is terminated under it', async () => {
    await wire.put(
      '/hangar/runners/r2',
      encodeRunnerSecret({ kind: 'jit', jitConfig: await jitConfig('hgr-r2') }),
    );
    const instanceId = await launch('/hangar/runners/r2');
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
    await wire.put(
      '/hangar/runners/r3',
      encodeRunnerSecret({
        kind: 'registration',
        token,
        url: 'https://github.com/acme',
        name: 'hgr-r3',
        labels: ['self-hosted', 'linux', 'big'],
        runnerGroup: null,
      }),
    );
    const instanceId = await launch('/hangar/runners/r3');
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
});
