import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError, DependencyError, JobId, type JitConfigRequest } from '@hangar/core';
import { decodeJitConfig } from '@hangar/test-support/github';
import { GitHubRunnerRegistry } from './runner-registry';
import { LIST_ORG_RUNNERS_ROUTE, startWorld, type GitHubWorld } from './spec-support';

const ORG = { level: 'org', owner: 'acme' } as const;
const REPO = { level: 'repo', owner: 'acme', repo: 'web' } as const;

describe('GitHubRunnerRegistry', () => {
  let world: GitHubWorld;
  let registry: GitHubRunnerRegistry;
  let seq = 0;
  const name = () => `hangar-${++seq}`;
  /** A JIT config that must be issued (not `name-taken`). */
  const issue = async (request: JitConfigRequest) => {
    const result = await registry.createJitConfig(request);
    if (result.outcome !== 'issued') throw new Error(`expected a JIT config for ${request.runnerName}`);
    return result;
  };

  beforeAll(async () => {
    world = await startWorld();
    world.fake.addRunnerGroup('acme', { name: 'hangar-linux' });
    registry = new GitHubRunnerRegistry(world.pool());
  });

  beforeEach(() => {
    world.fake.faults.clear();
    world.fake.resetCalls();
  });

  afterAll(async () => {
    await world.fake.close();
  });

  describe('createJitConfig', () => {
    it('registers an org runner in the named group with its labels and work folder, and the runner can boot from it', async () => {
      const groupId = world.fake.addRunnerGroup('acme', { name: 'GPU' });
      const runnerName = name();
      const jit = await issue({
        scope: ORG,
        runnerName,
        labels: ['self-hosted', 'linux', 'gpu'],
        runnerGroup: 'gpu',
        workFolder: '/srv/work',
      });
      expect(decodeJitConfig(jit.encodedJitConfig)).toMatchObject({
        runnerId: jit.githubRunnerId,
        runnerName,
        groupId,
        workFolder: '/srv/work',
      });
      const runner = world.fake.connectRunner(jit.encodedJitConfig);
      expect(runner).toMatchObject({
        id: jit.githubRunnerId,
        status: 'online',
        groupId,
        scope: { kind: 'org', org: 'acme' },
      });
      expect(runner.labels.map((l) => l.name)).toEqual(['self-hosted', 'linux', 'gpu']);
      const { jobId } = world.fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'gpu'] });
      expect(world.fake.job(jobId)).toMatchObject({ status: 'in_progress', runnerId: jit.githubRunnerId });
    });

    it('looks a runner group created since the last lookup up once, then reuses it', async () => {
      await registry.createJitConfig({
        scope: ORG,
        runnerName: name(),
        labels: ['self-hosted'],
        runnerGroup: 'hangar-linux',
      });
      world.fake.resetCalls();
      const groupId = world.fake.addRunnerGroup('acme', { name: 'fresh' });
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const jit = await issue({
          scope: ORG,
          runnerName: name(),
          labels: ['self-hosted'],
          runnerGroup: 'fresh',
        });
        ids.push(world.fake.runner(jit.githubRunnerId)?.groupId ?? 0);
      }
      expect(ids).toEqual([groupId, groupId, groupId]);
      expect(world.calls('GET /orgs/{org}/actions/runner-groups')).toBe(1);
      expect(world.calls('POST /orgs/{org}/actions/runners/generate-jitconfig')).toBe(3);
    });

    it('reports a runner group that does not exist as a configuration error', async () => {
      const failure = registry.createJitConfig({
        scope: ORG,
        runnerName: name(),
        labels: ['self-hosted'],
        runnerGroup: 'nope',
      });
      await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
      await expect(failure).rejects.toThrow('runner group "nope" does not exist in organisation acme');
    });

    it('registers a repository runner in the default group', async () => {
      const jit = await issue({
        scope: REPO,
        runnerName: name(),
        labels: ['self-hosted', 'linux'],
      });
      expect(world.fake.runner(jit.githubRunnerId)).toMatchObject({
        scope: { kind: 'repo', repo: 'acme/web' },
        groupId: 1,
      });
    });

    it('answers name-taken for a name already registered, offline or online, and never removes that runner', async () => {
      const runnerName = name();
      const first = await issue({ scope: ORG, runnerName, labels: ['self-hosted'] });
      expect(await registry.createJitConfig({ scope: ORG, runnerName, labels: ['self-hosted'] })).toEqual({
        outcome: 'name-taken',
      });
      expect(world.fake.runner(first.githubRunnerId)?.status).toBe('offline');
      world.fake.connectRunner(first.encodedJitConfig);
      expect(await registry.createJitConfig({ scope: ORG, runnerName, labels: ['self-hosted'] })).toEqual({
        outcome: 'name-taken',
      });
      expect(world.fake.runner(first.githubRunnerId)?.status).toBe('online');
      expect(world.calls('DELETE /orgs/{org}/actions/runners/{runner_id}')).toBe(0);
    });
  });

  describe('listRunners and deleteRunner', () => {
    it('lists more than 100 runners in pages of 100', async () => {
      const scope = { level: 'repo', owner: 'acme', repo: 'api' } as const;
      for (let i = 0; i < 130; i++)
        await registry.createJitConfig({ scope, runnerName: `many-${i}`, labels: ['self-hosted'] });
      world.fake.resetCalls();
      const runners = await registry.listRunners(scope);
      expect(runners).toHaveLength(130);
      expect(new Set(runners.map((r) => r.name)).size).toBe(130);
      expect(runners[0]).toEqual({
        githubRunnerId: expect.any(Number),
        name: 'many-0',
        status: 'offline',
        busy: false,
        labels: ['self-hosted'],
      });
      expect(world.calls('GET /repos/{owner}/{repo}/actions/runners')).toBe(2);
    });

    it('deletes an idle runner, answers busy for a runner with a job, and not-found for an unknown one', async () => {
      const idle = await issue({
        scope: ORG,
        runnerName: name(),
        labels: ['self-hosted', 'idle-test'],
      });
      const busy = await issue({
        scope: ORG,
        runnerName: name(),
        labels: ['self-hosted', 'busy-test'],
      });
      world.fake.connectRunner(busy.encodedJitConfig);
      world.fake.queueJob({ repo: 'acme/web', labels: ['busy-test'] });
      expect(world.fake.runner(busy.githubRunnerId)?.busy).toBe(true);
      expect(await registry.deleteRunner(ORG, idle.githubRunnerId)).toBe('deleted');
      expect(await registry.deleteRunner(ORG, busy.githubRunnerId)).toBe('busy');
      expect(await registry.deleteRunner(ORG, idle.githubRunnerId)).toBe('not-found');
      expect(world.fake.runner(busy.githubRunnerId)?.busy).toBe(true);
    });

    it('reports busy and online state as GitHub lists it', async () => {
      const jit = await issue({
        scope: REPO,
        runnerName: name(),
        labels: ['self-hosted', 'state-test'],
      });
      world.fake.connectRunner(jit.encodedJitConfig);
      world.fake.queueJob({ repo: 'acme/web', labels: ['state-test'] });
      const listed = (await registry.listRunners(REPO)).find((r) => r.githubRunnerId === jit.githubRunnerId);
      expect(listed).toMatchObject({ status: 'online', busy: true });
    });
  });

  it('creates registration tokens for org and repository runners', async () => {
    const org = await registry.createRegistrationToken(ORG);
    const repo = await registry.createRegistrationToken(REPO);
    expect(org.token).not.toBe(repo.token);
    expect(Date.parse(org.expiresAt)).toBeGreaterThan(Date.now());
    const runner = world.fake.connectRunnerWithToken(repo.token, { name: name() });
    expect(runner.scope).toEqual({ kind: 'repo', repo: 'acme/web' });
  });

  describe('jobs', () => {
    it('reads a job status and conclusion, and null for an unknown job', async () => {
      const { jobId } = world.fake.queueJob({ repo: 'acme/web', labels: ['nobody-has-this'] });
      expect(await registry.getJobStatus('acme', 'web', JobId(jobId))).toMatchObject({
        status: 'queued',
        conclusion: null,
        runnerName: null,
      });
      world.fake.completeJob(jobId, 'cancelled');
      expect(await registry.getJobStatus('acme', 'web', JobId(jobId))).toMatchObject({
        status: 'completed',
        conclusion: 'cancelled',
        runnerName: null,
        completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      });
      expect(await registry.getJobStatus('acme', 'web', JobId(99999999))).toBeNull();
    });

    it('reads the runner and start time of a started job: what its lost in_progress delivery would have said', async () => {
      const runnerName = name();
      const jit = await issue({ scope: ORG, runnerName, labels: ['self-hosted', 'job-read-test'] });
      world.fake.connectRunner(jit.encodedJitConfig);
      const { jobId } = world.fake.queueJob({ repo: 'acme/web', labels: ['job-read-test'] });
      expect(await registry.getJobStatus('acme', 'web', JobId(jobId))).toMatchObject({
        status: 'in_progress',
        runnerName,
        githubRunnerId: jit.githubRunnerId,
        startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
        completedAt: null,
      });
    });
  });

  describe('failures', () => {
    it('retries a 5xx and then succeeds', async () => {
      world.fake.faults.add({ path: '/orgs/{org}/actions/runners', status: 502, times: 2 });
      await expect(registry.listRunners(ORG)).resolves.toBeInstanceOf(Array);
      expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(3);
    });

    it('gives up after two retries of a persistent 5xx with a retryable DependencyError', async () => {
      world.fake.faults.add({ path: '/orgs/{org}/actions/runners', status: 503 });
      const failure = registry.listRunners(ORG);
      await expect(failure).rejects.toBeInstanceOf(DependencyError);
      await expect(failure).rejects.toMatchObject({
        retryable: true,
        dependency: 'github',
        operation: 'list-runners',
      });
      expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(3);
    });

    it('waits out a secondary rate limit within bounds and then succeeds', async () => {
      world.fake.faults.add({
        path: '/orgs/{org}/actions/runners',
        secondaryRateLimit: true,
        retryAfterSeconds: 1,
        times: 1,
      });
      await expect(registry.listRunners(ORG)).resolves.toBeInstanceOf(Array);
      expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(2);
    });

    it('does not wait longer than its bound: a long secondary limit fails at once with retryAfterSeconds', async () => {
      world.fake.faults.add({
        path: '/orgs/{org}/actions/runners',
        secondaryRateLimit: true,
        retryAfterSeconds: 120,
      });
      const error = (await registry.listRunners(ORG).catch((e: unknown) => e)) as DependencyError;
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 120 });
      expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(1);
    });

    it('reports 401 as a non-retryable DependencyError', async () => {
      world.fake.faults.add({ path: '/orgs/{org}/actions/runners', status: 401 });
      const failure = registry.listRunners(ORG);
      await expect(failure).rejects.toBeInstanceOf(DependencyError);
      await expect(failure).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('HTTP 401'),
      });
    });

    it('reports a 403 permission problem as non-retryable, without retrying', async () => {
      world.fake.faults.add({
        path: '/orgs/{org}/actions/runners/generate-jitconfig',
        status: 403,
        message: 'Resource not accessible by integration',
      });
      const failure = registry.createJitConfig({ scope: ORG, runnerName: name(), labels: ['self-hosted'] });
      await expect(failure).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('Resource not accessible'),
      });
      expect(world.calls('POST /orgs/{org}/actions/runners/generate-jitconfig')).toBe(1);
    });

    it('reports a token endpoint outage as retryable instead of as a missing runner', async () => {
      world.fake.expireInstallationTokens();
      world.fake.faults.add({ path: '/app/installations/{installation_id}/access_tokens', status: 500 });
      const failure = registry.deleteRunner(ORG, 12345);
      await expect(failure).rejects.toMatchObject({ retryable: true });
    });
  });
});
