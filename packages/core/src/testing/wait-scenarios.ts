/**
 * One history per wait reason, each produced by the real use cases (webhook intake, scale-up,
 * job events, instance events, scale-down) on a scaler fixture. The core spec reads them from
 * the in-memory twin; the `hangar` CLI spec writes them to DynamoDB Local and reads them back.
 */
import { execute } from '../application/execute';
import { recordWorkflowJob } from '../application/record-workflow-job';
import { jobStreamId } from '../job/job.decider';
import { PoolId } from '../shared/brand';
import { scaleUp } from '../application/scale-up';
import type { EventStore, SnapshotStore, StreamIndex } from '../ports/event-store';
import type { StreamHistory } from '../ports/stream-history';
import { scalerFixture, workflowJobFact, type ScalerFixture } from './scaler-fixture';
import { capacityError, launched, settings, type WaitScenario } from './wait-scenario-steps';
import { RUNNER_WAIT_SCENARIOS } from './wait-scenarios-runner';
import { queueJob, serveQueued } from './scaler-steps';

export type ScenarioStore = EventStore & SnapshotStore & StreamIndex & StreamHistory;

export type { WaitScenario } from './wait-scenario-steps';

/** A fixture whose streams live in `store` (the twin's own store when absent). */
export function scenarioFixture(scenario: WaitScenario, store?: ScenarioStore): ScalerFixture {
  const fx = scalerFixture(scenario.settings, { maxRunnersRetrySeconds: 30, ...scenario.options });
  if (!store) return fx;
  return { ...fx, deps: { ...fx.deps, eventStore: store, snapshots: store, index: store } };
}

export const WAIT_SCENARIOS: readonly WaitScenario[] = [
  {
    code: 'awaiting-scale-up',
    title: 'queued, scale-up has not taken the message yet',
    settings: settings(),
    run: (fx) => queueJob(fx, 101),
  },
  {
    code: 'awaiting-approval',
    title: 'GitHub reports the job waiting for an environment approval',
    settings: settings(),
    async run(fx) {
      const job = await queueJob(fx, 102);
      await recordWorkflowJob(fx.deps, workflowJobFact('waiting', 102, fx.clock.now()));
      return job;
    },
  },
  {
    code: 'unroutable',
    title: 'no pool has the labels the job asks for',
    settings: settings(),
    run: (fx) => queueJob(fx, 103, ['self-hosted', 'gpu']),
  },
  {
    code: 'pool-at-max',
    title: 'the pool is at its maximum',
    settings: settings({ maxRunners: 1 }),
    async run(fx) {
      await launched(fx, 104);
      fx.clock.advanceSeconds(30);
      const job = await queueJob(fx, 105);
      await serveQueued(fx);
      return job;
    },
  },
  {
    code: 'gave-up',
    title: 'the pool stayed full past the queue limit',
    settings: settings({ maxRunners: 1 }, { jobQueueLimitMinutes: 30 }),
    async run(fx) {
      await launched(fx, 106);
      const job = await queueJob(fx, 107);
      const [message] = fx.scaleUpQueue.take();
      if (!message) throw new Error('no scale-up message');
      await scaleUp(fx.deps, message, 'scenario');
      fx.clock.advanceMinutes(31);
      await scaleUp(fx.deps, message, 'scenario');
      return job;
    },
  },
  {
    code: 'not-queued-on-github',
    title: 'GitHub said the job is no longer queued (a history recorded before the check recorded the fact)',
    settings: settings({ jobQueuedCheck: true }),
    async run(fx) {
      const job = await queueJob(fx, 108);
      fx.clock.advanceSeconds(fx.deps.options.jobQueuedCheckAfterSeconds);
      // What the job-queued check recorded until it recorded GitHub's answer as the job's fact
      // (scale-up.ts): streams written then still read this way.
      await execute(
        fx.deps,
        fx.deps.streams.job,
        jobStreamId(job),
        {
          type: 'RecordScaleUpRejection',
          data: {
            poolId: PoolId('linux'),
            reason: 'job-not-queued-on-github',
            detail: 'GitHub reports in_progress',
            at: fx.clock.now(),
          },
        },
        'scenario',
      );
      return job;
    },
  },
  {
    code: 'capacity-unavailable',
    title: 'spot capacity ran out; the launch will be retried',
    settings: settings(),
    async run(fx) {
      fx.ec2.failNext(capacityError);
      const job = await queueJob(fx, 109);
      await serveQueued(fx);
      return job;
    },
  },
  {
    code: 'launch-failing',
    title: 'the launch template is missing: the runner failed for good',
    settings: settings(),
    async run(fx) {
      fx.ec2.failNext({
        outcome: 'failed',
        reason: 'invalid-configuration',
        retryable: false,
        errorCodes: ['InvalidLaunchTemplateName.NotFoundException'],
        detail: 'The specified launch template, with template name hangar-linux, does not exist.',
      });
      const job = await queueJob(fx, 110);
      await serveQueued(fx);
      return job;
    },
  },
  ...RUNNER_WAIT_SCENARIOS,
];
