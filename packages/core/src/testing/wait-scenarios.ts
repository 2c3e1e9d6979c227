/**
 * One history per wait reason, each produced by the real use cases (webhook intake, scale-up,
 * job events, instance events, scale-down) on a scaler fixture. The core spec reads them from
 * the in-memory twin; the `hangar` CLI spec writes them to DynamoDB Local and reads them back.
 */
import type { ScalerSettings } from '../config/pool-config';
import type { ScalerOptions } from '../application/deps';
import { applyJobEvent } from '../application/apply-job-event';
import { execute } from '../application/execute';
import { recordInstanceEvent } from '../application/record-instance-event';
import { recordWorkflowJob } from '../application/record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from '../application/scale-up';
import { jobStreamId } from '../job/job.decider';
import type { EventStore, SnapshotStore, StreamIndex } from '../ports/event-store';
import type { StreamHistory } from '../ports/stream-history';
import type { WaitReasonCode } from '../read/wait-reason-types';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, PoolId, type RunnerId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from './scaler-fixture';
import { queueJob, serveQueued } from './scaler-steps';

export type ScenarioStore = EventStore & SnapshotStore & StreamIndex & StreamHistory;

export interface WaitScenario {
  readonly code: WaitReasonCode;
  readonly title: string;
  readonly settings: ScalerSettings;
  readonly options?: Partial<ScalerOptions>;
  /** Drives the use cases; returns the job whose reason is `code`. */
  run(fx: ScalerFixture): Promise<JobId>;
}

/** A fixture whose streams live in `store` (the twin's own store when absent). */
export function scenarioFixture(scenario: WaitScenario, store?: ScenarioStore): ScalerFixture {
  const fx = scalerFixture(scenario.settings, { maxRunnersRetrySeconds: 30, ...scenario.options });
  if (!store) return fx;
  return { ...fx, deps: { ...fx.deps, eventStore: store, snapshots: store, index: store } };
}

const linux = (overrides: Parameters<typeof poolConfig>[0] = {}) => poolConfig({ id: 'linux', ...overrides });
const settings = (overrides: Parameters<typeof poolConfig>[0] = {}, more: Partial<ScalerSettings> = {}) =>
  scalerSettings([linux(overrides)], more);

const capacityError = {
  outcome: 'failed',
  reason: 'insufficient-capacity',
  retryable: true,
  errorCodes: ['InsufficientInstanceCapacity'],
  detail: 'We currently do not have sufficient m7i.large capacity in the Availability Zone you requested',
  placements: [
    { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm7i.large', subnetId: 'subnet-0a1b2c3d' },
    { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm6i.large', subnetId: 'subnet-0a1b2c3d' },
  ],
} as const;

async function launched(
  fx: ScalerFixture,
  jobId: number,
): Promise<{ job: JobId; runnerId: RunnerId; name: string }> {
  const job = await queueJob(fx, jobId);
  await serveQueued(fx);
  const runnerId = runnerIdForJob(job, 1);
  return { job, runnerId, name: runnerNameFor(linux(), runnerId) };
}

async function runnerFact(fx: ScalerFixture, runnerId: RunnerId, command: Parameters<typeof execute>[3]) {
  await execute(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId), command as never, 'scenario');
}

/** EventBridge's event about the scenario's one machine, now. */
async function machineEvent(
  fx: ScalerFixture,
  event:
    { readonly kind: 'spot-interruption' } | { readonly kind: 'state-change'; readonly state: 'terminated' },
): Promise<void> {
  const [instance] = [...fx.ec2.machines.values()];
  if (!instance) throw new Error('no machine');
  await recordInstanceEvent(
    fx.deps,
    { ...event, instanceId: instance.view.instanceId, at: fx.clock.now() },
    'scenario',
  );
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
    title: 'GitHub says the job is no longer queued',
    settings: settings({ jobQueuedCheck: true }),
    async run(fx) {
      fx.registry.jobStatuses.set('108', { status: 'in_progress', conclusion: null });
      const job = await queueJob(fx, 108);
      await serveQueued(fx);
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
  {
    code: 'runner-requested',
    title: 'a runner was requested; its launch has not started',
    settings: settings(),
    async run(fx) {
      const job = await queueJob(fx, 111);
      fx.scaleUpQueue.take();
      await execute(
        fx.deps,
        fx.deps.streams.job,
        jobStreamId(job),
        {
          type: 'RequestRunnerForJob',
          data: {
            runnerId: runnerIdForJob(job, 1),
            poolId: PoolId('linux'),
            attempt: 1,
            reason: 'queued',
            maxAttempts: 3,
            at: fx.clock.now(),
          },
        },
        'scenario',
      );
      return job;
    },
  },
  {
    code: 'launching',
    title: 'the launch call is under way (spot failed first, now on-demand)',
    settings: settings({ capacity: { type: 'spot', onDemandFailoverFor: [] } }),
    async run(fx) {
      fx.ec2.failNext(capacityError);
      const job = await queueJob(fx, 112);
      await serveQueued(fx);
      const runnerId = runnerIdForJob(job, 1);
      await runnerFact(fx, runnerId, {
        type: 'StartLaunch',
        data: { capacityType: 'on-demand', at: fx.clock.now() },
      });
      return job;
    },
  },
  {
    code: 'runner-booting',
    title: 'the machine runs; the runner has not come online',
    settings: settings(),
    run: async (fx) => (await launched(fx, 113)).job,
  },
  {
    code: 'runner-idle',
    title: 'the runner is online and idle; GitHub has not given it the job',
    settings: settings(),
    async run(fx) {
      const { job, runnerId } = await launched(fx, 114);
      fx.clock.advanceSeconds(40);
      await runnerFact(fx, runnerId, { type: 'RecordRunnerOnline', data: { at: fx.clock.now() } });
      return job;
    },
  },
  {
    code: 'starting',
    title: 'the runner started the job; GitHub has not reported it in progress',
    settings: settings(),
    async run(fx) {
      const { job, name } = await launched(fx, 115);
      fx.clock.advanceSeconds(40);
      await applyJobEvent(fx.deps, {
        jobId: job,
        action: 'in_progress',
        runnerName: name,
        at: fx.clock.now(),
        deliveryId: 'd-115',
      });
      return job;
    },
  },
  {
    code: 'runner-took-other-job',
    title: 'GitHub gave the runner another job with the same labels',
    settings: settings(),
    async run(fx) {
      const { job, name } = await launched(fx, 116);
      fx.clock.advanceSeconds(40);
      await applyJobEvent(fx.deps, {
        jobId: JobId(999),
        action: 'in_progress',
        runnerName: name,
        at: fx.clock.now(),
        deliveryId: 'd-116',
      });
      return job;
    },
  },
  {
    code: 'runner-interrupted',
    title: 'the spot machine was reclaimed before it took the job',
    settings: settings(),
    async run(fx) {
      const { job } = await launched(fx, 117);
      fx.clock.advanceSeconds(20);
      await machineEvent(fx, { kind: 'spot-interruption' });
      return job;
    },
  },
  {
    code: 'runner-ended',
    title: 'the machine was terminated before the runner took the job',
    settings: settings(),
    async run(fx) {
      const { job } = await launched(fx, 118);
      fx.clock.advanceMinutes(2);
      await machineEvent(fx, { kind: 'state-change', state: 'terminated' });
      return job;
    },
  },
];
