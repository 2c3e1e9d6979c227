import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DependencyError, JobId, type RunnerRegistry } from '@hangar/core';
import { githubDescription } from '@hangar/test-support/github-openapi';
import { RERUN_ROUTE } from './rerun-answers';
import { GitHubJobRerun } from './rerun-client';
import { GitHubRunnerRegistry } from './runner-registry';
import { FAST_BOUNDS, startWorld, type GitHubWorld } from './spec-support';

const DAY_MS = 24 * 60 * 60 * 1000;
const RERUN_PATH = '/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun';

type Rerun = Pick<RunnerRegistry, 'rerunJob'>;

/**
 * The two clients that re-run jobs: the control plane's registry (`@octokit/rest` with the retry
 * and throttling plugins) and the webhook's (`@octokit/core` with its own bounded retries). They
 * share the call (`requestRerun`); each must give every answer the same outcome.
 */
const CLIENTS: readonly { readonly name: string; readonly make: (world: GitHubWorld) => Rerun }[] = [
  {
    name: "the control plane's registry (@octokit/rest)",
    make: (world) => new GitHubRunnerRegistry(world.pool()),
  },
  {
    name: "the webhook's rerun client (@octokit/core)",
    make: (world) => new GitHubJobRerun({ apps: [world.app], baseUrl: world.fake.url, bounds: FAST_BOUNDS }),
  },
];

it('the re-run route is the one GitHub documents, answering 201 or 403', () => {
  const [method, template] = RERUN_ROUTE.split(' ');
  expect(githubDescription().find(method ?? '', template ?? '')?.statuses).toEqual(['201', '403']);
});

/**
 * GitHub's answers to a job re-run (201, or 403 with a message) through the real adapter and
 * the fake GitHub over HTTP: each 403 is a different outcome for the caller.
 */
describe.each(CLIENTS)('$name: rerunJob', ({ make }) => {
  let world: GitHubWorld;
  let registry: Rerun;
  let nowMs = Date.parse('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    world = await startWorld({ now: () => nowMs });
    registry = make(world);
  });

  beforeEach(() => {
    world.fake.faults.clear();
  });

  afterAll(async () => {
    await world.fake.close();
  });

  const attemptsOf = (runId: number) =>
    world.fake
      .jobs()
      .filter((j) => j.runId === runId)
      .map((j) => j.runAttempt);

  const failedJob = (options: { inReusableWorkflow?: boolean } = {}) => {
    const { jobId, runId } = world.fake.queueJob({
      repo: 'acme/web',
      labels: ['nobody-has-this'],
      ...options,
    });
    world.fake.completeJob(jobId, 'failure');
    return { jobId: JobId(jobId), runId };
  };

  it('a completed job of a finished run is queued again', async () => {
    const { jobId, runId } = failedJob();
    expect(await registry.rerunJob('acme', 'web', jobId)).toEqual({ kind: 'requested' });
    expect(attemptsOf(runId)).toEqual([1, 2]);
  });

  it('a job whose run is still running is "not yet": run-in-progress, with GitHub’s message', async () => {
    const { jobId } = world.fake.queueJob({ repo: 'acme/web', labels: ['nobody-has-this'] });
    expect(await registry.rerunJob('acme', 'web', JobId(jobId))).toEqual({
      kind: 'not-yet',
      reason: 'run-in-progress',
      detail: 'The workflow run containing this job is already running',
    });
  });

  it('a job already re-run is "not yet" while the re-run attempt is running', async () => {
    const { jobId } = failedJob();
    await registry.rerunJob('acme', 'web', jobId);
    expect(await registry.rerunJob('acme', 'web', jobId)).toMatchObject({
      kind: 'not-yet',
      reason: 'run-in-progress',
    });
  });

  it('a job of a run created over a month ago is refused for good: run-too-old', async () => {
    const { jobId } = failedJob();
    nowMs += 31 * DAY_MS;
    expect(await registry.rerunJob('acme', 'web', jobId)).toEqual({
      kind: 'refused',
      reason: 'run-too-old',
      detail: 'Unable to retry this workflow run because it was created over a month ago',
    });
  });

  it('a job of a reusable workflow is refused for good: not-retryable', async () => {
    const { jobId } = failedJob({ inReusableWorkflow: true });
    expect(await registry.rerunJob('acme', 'web', jobId)).toEqual({
      kind: 'refused',
      reason: 'not-retryable',
      detail: 'This workflow run cannot be retried',
    });
  });

  it('an unknown job is refused for good: job-not-found', async () => {
    expect(await registry.rerunJob('acme', 'web', JobId(99_999_999))).toMatchObject({
      kind: 'refused',
      reason: 'job-not-found',
    });
  });

  it('an App without Actions write throws a non-retryable DependencyError that names the permission', async () => {
    const { jobId } = failedJob();
    world.fake.setActionsPermission(world.installationId, 'read');
    try {
      const error = await registry.rerunJob('acme', 'web', jobId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ retryable: false, operation: 'rerun-job' });
      expect((error as Error).message).toMatch(/Actions.*write.*Resource not accessible by integration/);
    } finally {
      world.fake.setActionsPermission(world.installationId, 'write');
    }
  });

  it('a 403 secondary rate limit is waited out, not read as a refusal', async () => {
    const { jobId } = failedJob();
    world.fake.faults.add({ path: RERUN_PATH, secondaryRateLimit: true, retryAfterSeconds: 1, times: 1 });
    expect(await registry.rerunJob('acme', 'web', jobId)).toEqual({ kind: 'requested' });
  });

  it('a 403 GitHub does not document for this route is an error, never a refusal', async () => {
    const { jobId } = failedJob();
    world.fake.faults.add({ path: RERUN_PATH, status: 403, message: 'Something new', times: 1 });
    await expect(registry.rerunJob('acme', 'web', jobId)).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: false,
    });
  });

  it('a 5xx is retried within bounds and the re-run then requested once', async () => {
    const { jobId, runId } = failedJob();
    const before = world.calls(RERUN_ROUTE);
    world.fake.faults.add({ path: RERUN_PATH, status: 502, times: 2 });
    expect(await registry.rerunJob('acme', 'web', jobId)).toEqual({ kind: 'requested' });
    expect(world.calls(RERUN_ROUTE) - before).toBe(3);
    expect(attemptsOf(runId)).toEqual([1, 2]);
  });

  it('a persistent 5xx gives up after two retries with a retryable DependencyError', async () => {
    const { jobId } = failedJob();
    const before = world.calls(RERUN_ROUTE);
    world.fake.faults.add({ path: RERUN_PATH, status: 503 });
    await expect(registry.rerunJob('acme', 'web', jobId)).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      operation: 'rerun-job',
    });
    expect(world.calls(RERUN_ROUTE) - before).toBe(3);
  });

  it('a rate limit longer than the bound fails at once, retryable, with GitHub’s wait', async () => {
    const { jobId } = failedJob();
    const before = world.calls(RERUN_ROUTE);
    world.fake.faults.add({ path: RERUN_PATH, secondaryRateLimit: true, retryAfterSeconds: 120 });
    await expect(registry.rerunJob('acme', 'web', jobId)).rejects.toMatchObject({
      name: 'DependencyError',
      retryable: true,
      retryAfterSeconds: 120,
    });
    expect(world.calls(RERUN_ROUTE) - before).toBe(1);
  });
});
