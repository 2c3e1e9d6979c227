import type { RuntimeOverrides } from '../composition/overrides';
import { bindBinaries } from '../composition/bindings/binaries';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { buildHandler } from '../composition/lambda-entry';
import { createBinariesSyncerHandler } from '../handlers/binaries-syncer';
import { createInstanceEventsHandler } from '../handlers/instance-events';
import { createJobEventsHandler } from '../handlers/job-events';
import { createPoolHandler } from '../handlers/pool';
import { createReconcilerHandler } from '../handlers/reconciler';
import { createScaleDownHandler } from '../handlers/scale-down';
import { createScaleUpHandler } from '../handlers/scale-up';
import { createWebhookHandler } from '../handlers/webhook';
import { bindGitHubOnDemand } from '../composition/bindings/github-on-demand';
import type { HandlerFactory, HandlerSet } from './handler-set';
import { LOCAL_CREDENTIALS, type LocalInfrastructure } from './infrastructure';
import type { SimulatedClock } from './sim-clock';

/**
 * How the runtime's composition is pointed at the local world: every AWS client at its
 * counting proxy, GitHub at the fake, the simulated clock, predictable ids, no waits between
 * GitHub writes (the fake has no secondary rate limit to respect), and the index-lag fault when
 * the infrastructure has one.
 */
export function localOverrides(infrastructure: LocalInfrastructure, clock: SimulatedClock): RuntimeOverrides {
  let next = 0;
  let secrets = 0;
  const { proxies } = infrastructure;
  return {
    aws: {
      region: infrastructure.region,
      credentials: LOCAL_CREDENTIALS,
      endpoints: {
        dynamodb: proxies.dynamodb.endpoint,
        sqs: proxies.sqs.endpoint,
        ssm: proxies.ssm.endpoint,
        s3: proxies.s3.endpoint,
        ec2: proxies.ec2.endpoint,
        ecs: proxies.ecs.endpoint,
      },
    },
    // A stopped (timed-out or killed) invocation's later AWS and GitHub calls are refused;
    // the calls that go out are attributed to their handler (the report's DynamoDB breakdown).
    beforeCall: (target, input) => {
      const { invocations } = infrastructure;
      invocations.check(target);
      infrastructure.dynamoDbCalls.count(invocations.currentHandler(), target, input);
    },
    githubBaseUrl: infrastructure.fake.url,
    releasesBaseUrl: infrastructure.fake.url,
    githubBounds: { maxRetries: 2, maxWaitSeconds: 2, retryBaseDelayMs: 10, writeIntervalMs: 0 },
    clock,
    // Deterministic, so a simulated run replays the same names; only the format is production's.
    ids: {
      next: () => `local-${(next += 1)}`,
      unguessable: () => (secrets += 1).toString(16).padStart(32, '5'),
    },
    // Real milliseconds between optimistic-concurrency retries, jittered so racers spread out.
    backoff: (attempt) => new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * attempt)),
    ...(infrastructure.indexLag
      ? { eventStore: infrastructure.indexLag.wrap.bind(infrastructure.indexLag) }
      : {}),
  };
}

/**
 * The eight handlers exactly as Lambda builds them (configuration parsed from the
 * environment, SSM parameters read, the composition root resolved), one container each as
 * separate functions would have, pointed at the local infrastructure.
 */
export const runtimeHandlers: HandlerFactory = async (
  infrastructure,
  clock,
  environment,
): Promise<HandlerSet> => {
  const overrides = localOverrides(infrastructure, clock);
  const all = [bindCompute, bindGitHub, bindBinaries];
  return {
    // As its bundle's entry composes it: only its own GitHub client, which re-runs interrupted jobs.
    webhook: await buildHandler(
      'webhook',
      environment,
      overrides,
      [bindGitHubOnDemand],
      createWebhookHandler,
    ),
    scaleUp: await buildHandler('scale-up', environment, overrides, all, createScaleUpHandler),
    jobEvents: await buildHandler('job-events', environment, overrides, all, createJobEventsHandler),
    scaleDown: await buildHandler('scale-down', environment, overrides, all, createScaleDownHandler),
    pool: await buildHandler('pool', environment, overrides, all, createPoolHandler),
    reconciler: await buildHandler('reconciler', environment, overrides, all, createReconcilerHandler),
    instanceEvents: await buildHandler(
      'instance-events',
      environment,
      overrides,
      all,
      createInstanceEventsHandler,
    ),
    binariesSyncer: await buildHandler(
      'binaries-syncer',
      environment,
      overrides,
      all,
      createBinariesSyncerHandler,
    ),
  };
};
