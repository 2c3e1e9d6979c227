import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigurationError, DependencyError, JobId, type RunnerScope } from '@hangar/core';
import { startWebhookReceiver, type FaultSpec, type WebhookReceiver } from '@hangar/test-support/github';
import { githubDescription, GITHUB_WIDE_STATUSES } from '@hangar/test-support/github-openapi';
import { GitHubJobRerun } from './rerun-client';
import { GitHubRunnerRegistry } from './runner-registry';
import { GitHubRunnerReleases } from './runner-releases';
import { FAST_BOUNDS, startWorld, type GitHubWorld } from './spec-support';
import { GitHubWebhookRecovery } from './webhook-recovery';

/**
 * Every error status GitHub documents for a route the adapter calls (from @octokit/openapi),
 * plus those GitHub answers on any route, served persistently by the fake's fault injection
 * and met by the adapter operation that uses the route. Each answer has a decided outcome; a
 * status GitHub starts documenting without one fails here until it is decided.
 */
type Outcome = { readonly value: unknown } | { readonly error: 'retryable' | 'final' | 'configuration' };

const retryable = { error: 'retryable' } as const;
const final = { error: 'final' } as const;

/** What GitHub-wide answers mean for any operation: limits and outages pass, the rest do not. */
const wide = (status: number): Outcome => (status === 429 || status >= 500 ? retryable : final);

interface Operation {
  readonly name: string;
  /**
   * Calls with an installation token. @octokit/auth-app retries a 401 on a token younger than
   * 5 s for 5 s (replication lag), so their GitHub-wide 401 is met once, in runner-registry.spec
   * ("reports 401 as a non-retryable DependencyError"), not here for each of them.
   */
  readonly installationToken?: true;
  readonly method: string;
  readonly template: string;
  /** Where the fault goes when the fake serves the route under a concrete path. */
  readonly faultPath?: string;
  run(world: GitHubWorld): Promise<unknown>;
  /** Outcomes that differ from `wide` (documented statuses must all appear here or be `final`). */
  readonly decided: Readonly<Record<number, Outcome>>;
}

/** The recovery run goes on without the delivery GitHub would not redeliver. */
const SKIPPED = expect.objectContaining({ redelivered: 0 });
const ORG: RunnerScope = { level: 'org', owner: 'acme' };
let registry: GitHubRunnerRegistry;
let webhookRerun: GitHubJobRerun;
let recoveryJobs = 0;

const OPERATIONS: readonly Operation[] = [
  {
    name: 'createJitConfig (org)',
    method: 'POST',
    template: '/orgs/{org}/actions/runners/generate-jitconfig',
    installationToken: true,
    run: () => registry.createJitConfig({ scope: ORG, runnerName: 'r-matrix', labels: ['self-hosted'] }),
    // 409: a runner of that name exists; core decides whether it is its own (issue 11).
    decided: { 404: final, 409: { value: { outcome: 'name-taken' } }, 422: final },
  },
  {
    name: 'createRegistrationToken (org)',
    method: 'POST',
    template: '/orgs/{org}/actions/runners/registration-token',
    installationToken: true,
    run: () => registry.createRegistrationToken(ORG),
    decided: {},
  },
  {
    name: 'listRunners (org)',
    method: 'GET',
    template: '/orgs/{org}/actions/runners',
    installationToken: true,
    run: () => registry.listRunners(ORG),
    decided: {},
  },
  {
    name: 'deleteRunner (org)',
    method: 'DELETE',
    template: '/orgs/{org}/actions/runners/{runner_id}',
    installationToken: true,
    run: () => registry.deleteRunner(ORG, 12345),
    decided: { 404: { value: 'not-found' }, 422: { value: 'busy' } },
  },
  {
    name: 'getJobStatus',
    method: 'GET',
    template: '/repos/{owner}/{repo}/actions/jobs/{job_id}',
    installationToken: true,
    run: () => registry.getJobStatus('acme', 'web', JobId('400001')),
    decided: { 404: { value: null } },
  },
  {
    name: 'rerunJob',
    method: 'POST',
    template: '/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun',
    installationToken: true,
    run: () => registry.rerunJob('acme', 'web', JobId('400001')),
    // GitHub's own 403 refusals are read by their message (rerun-answers.spec.ts); a 403 whose
    // message is none of them is not guessed to be a refusal. A 404: the job is gone for good.
    decided: {
      403: final,
      404: { value: { kind: 'refused', reason: 'job-not-found', detail: expect.any(String) } },
    },
  },
  {
    name: "rerunJob through the webhook's client (@octokit/core)",
    method: 'POST',
    template: '/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun',
    installationToken: true,
    run: () => webhookRerun.rerunJob('acme', 'web', JobId('400001')),
    // The same call as the registry's (requestRerun), with the webhook's own bounded retries.
    decided: {
      403: final,
      404: { value: { kind: 'refused', reason: 'job-not-found', detail: expect.any(String) } },
    },
  },
  {
    name: 'installation lookup for an organisation',
    method: 'GET',
    template: '/orgs/{org}/installation',
    run: (world) => new GitHubRunnerRegistry(world.pool()).listRunners(ORG),
    // 404 is what GitHub answers for a personal account: the adapter asks /users/ next, and finds it.
    decided: { 404: { value: [] } },
  },
  {
    name: 'installation lookup for a personal account',
    method: 'GET',
    template: '/users/{username}/installation',
    run: (world) =>
      new GitHubRunnerRegistry(world.pool()).createRegistrationToken({ level: 'org', owner: 'octocat' }),
    decided: { 404: { error: 'configuration' } },
  },
  {
    name: 'installation lookup for a repository',
    method: 'GET',
    template: '/repos/{owner}/{repo}/installation',
    run: (world) => new GitHubRunnerRegistry(world.pool()).getJobStatus('acme', 'web', JobId('1')),
    decided: { 404: { error: 'configuration' } },
  },
  {
    name: 'installation token',
    method: 'POST',
    template: '/app/installations/{installation_id}/access_tokens',
    run: (world) => new GitHubRunnerRegistry(world.pool()).listRunners(ORG),
    // 401/404 first make the adapter look the installation up again; when that does not help, stop.
    decided: { 401: final, 403: final, 404: final, 422: final },
  },
  {
    name: 'webhook delivery log',
    method: 'GET',
    template: '/app/hook/deliveries',
    run: (world) => new GitHubWebhookRecovery(world.pool()).redeliverFailed(new Date(0).toISOString(), 5),
    decided: { 400: final, 422: final },
  },
  {
    name: 'webhook redelivery of one delivery',
    method: 'POST',
    template: '/app/hook/deliveries/{delivery_id}/attempts',
    run: async (world) => {
      recoveryJobs += 1;
      // Delivery times are whole seconds: look back far enough to see this one.
      const since = new Date(Date.now() - 2000).toISOString();
      world.fake.queueJob({ repo: 'acme/web', labels: [`matrix-${recoveryJobs}`] });
      await world.fake.webhooks.settle();
      return new GitHubWebhookRecovery(world.pool()).redeliverFailed(since, 5);
    },
    // GitHub refuses to redeliver some deliveries (too old): skip that one, keep recovering.
    decided: { 400: { value: SKIPPED }, 422: { value: SKIPPED } },
  },
  {
    name: 'latest runner release',
    method: 'GET',
    template: '/repos/{owner}/{repo}/releases/latest',
    faultPath: '/repos/actions/runner/releases/latest',
    run: (world) =>
      new GitHubRunnerReleases({ baseUrl: world.fake.url, bounds: FAST_BOUNDS }).latestAssets({
        includePrerelease: false,
      }),
    decided: { 404: final },
  },
];

/** The adapter's answer as an outcome. */
async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof ConfigurationError) return { error: 'configuration' };
    if (error instanceof DependencyError) return { error: error.retryable ? 'retryable' : 'final' };
    throw error;
  }
}

describe('GitHub adapter against every error status GitHub documents for its routes', () => {
  let world: GitHubWorld;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    world = await startWorld();
    world.fake.addUser('octocat');
    world.fake.install(world.app.appId, 'octocat');
    receiver = await startWebhookReceiver('matrix');
    receiver.respondWith(500);
    world.fake.setWebhook(world.app.appId, { url: receiver.url, secret: 'matrix' });
    registry = new GitHubRunnerRegistry(world.pool());
    webhookRerun = new GitHubJobRerun({ apps: [world.app], baseUrl: world.fake.url, bounds: FAST_BOUNDS });
    await registry.listRunners(ORG);
  });
  afterAll(async () => {
    await world.fake.close();
    await receiver.close();
  });

  describe.each(OPERATIONS)('$name ($method $template)', (operation) => {
    const documented = (githubDescription().find(operation.method, operation.template)?.statuses ?? [])
      .map(Number)
      .filter((s) => s >= 400);
    const wideHere = GITHUB_WIDE_STATUSES.filter((s) => s !== 401 || operation.installationToken !== true);
    const statuses = [...new Set([...documented, ...wideHere])].sort((a, b) => a - b);

    it('is a route GitHub documents', () => {
      expect(githubDescription().find(operation.method, operation.template)).toBeDefined();
    });

    it.each(statuses)('meets HTTP %i with its decided outcome', async (status) => {
      const expected = operation.decided[status] ?? wide(status);
      // A documented answer that is not GitHub-wide is route-specific: it must be decided here.
      if (documented.includes(status) && !GITHUB_WIDE_STATUSES.includes(status)) {
        expect(operation.decided).toHaveProperty(String(status));
      }
      world.fake.faults.clear();
      world.fake.faults.add({
        method: operation.method,
        path: operation.faultPath ?? operation.template,
        status: status as FaultSpec['status'],
      });
      const outcome = await outcomeOf(() => operation.run(world));
      world.fake.faults.clear();
      expect(outcome).toEqual(expected);
    });

    it.each([403, 429] as const)(
      'meets a secondary rate limit (HTTP %i) as retryable with GitHub\u2019s wait',
      async (status) => {
        world.fake.faults.clear();
        world.fake.faults.add({
          method: operation.method,
          path: operation.faultPath ?? operation.template,
          status,
          secondaryRateLimit: true,
          retryAfterSeconds: 120,
        });
        const error = await operation.run(world).catch((e: unknown) => e);
        world.fake.faults.clear();
        expect(error).toBeInstanceOf(DependencyError);
        expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 120 });
      },
    );
  });
});
