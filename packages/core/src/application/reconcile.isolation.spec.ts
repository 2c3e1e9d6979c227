import { describe, expect, it } from '@jest/globals';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, PoolId, RunnerId } from '../shared/brand';
import { DependencyError } from '../shared/errors';
import type { ReconcileDeps } from './deps';
import { execute, read } from './execute';
import { reconcile, type ReconcileReport, type ReconcileStep } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob } from './scale-up';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { interruptedJob, serveQueued } from '../testing/scaler-steps';

/**
 * One world with work for every reconciler step, then each step made to fail in turn: the
 * failure is recorded (report, log, metric) and every other step still does its work.
 */
const linux = poolConfig({ id: 'linux', maxRunners: 5 });
const other = poolConfig({ id: 'other', labels: ['self-hosted', 'gpu'], maxRunners: 5 });
const boom = (what: string) => new DependencyError('test', what, `${what} is down`, false);
const reject = (what: string) => () => Promise.reject(boom(what));

interface World {
  readonly fx: ScalerFixture;
  readonly leak: string;
  readonly terminating: RunnerId;
}

async function worldWithWorkForEveryStep(): Promise<World> {
  const fx = scalerFixture(scalerSettings([linux, other]));
  const now = () => fx.clock.now();
  fx.registry.redeliverable = 2;
  // requeue-jobs: a job whose only launch failed for good.
  fx.ec2.failNext({
    outcome: 'failed',
    reason: 'invalid-configuration',
    retryable: false,
    errorCodes: [],
    detail: 'bad',
  });
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 10, now()));
  await serveQueued(fx);
  // rerun-interrupted-jobs: an interrupted job whose rerun the webhook could not ask for.
  const { completed } = await interruptedJob(fx, linux, 20);
  fx.registry.rerunAnswers.push(boom('github'));
  await recordWorkflowJob(fx.deps, completed);
  // finish-terminations: a runner whose termination was decided, then the process died.
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 30, now()));
  await serveQueued(fx);
  const terminating = runnerIdForJob(JobId(30), 1);
  await execute(
    fx.deps,
    fx.deps.streams.runner,
    runnerStreamId(terminating),
    { type: 'RequestTermination', data: { reason: 'idle', at: now() } },
    'crash',
  );
  // terminate-orphan-machines, delete-stale-secrets, release-slots: leftovers of crashes.
  const leak = fx.ec2.addLeak(RunnerId('ghost'), PoolId('linux'), now());
  await fx.secrets.put({ runnerId: RunnerId('gone'), suffix: 'a'.repeat(32) }, 'jit', {
    compute: 'ec2',
    instanceId: fx.ec2.addLeak(null, null, now()),
  });
  await execute(
    fx.deps,
    fx.deps.streams.pool,
    poolStreamId('other'),
    {
      type: 'ReserveRunnerSlot',
      data: { runnerId: RunnerId('lost'), jobId: null, maxRunners: 5, at: now() },
    },
    'crash',
  );
  fx.clock.advanceMinutes(11);
  return { fx, leak, terminating };
}

/** The deps with one step's dependency failing, and only that step's. */
function failing(fx: ScalerFixture, step: ReconcileStep): ReconcileDeps {
  const deps = fx.deps;
  const registry = fx.registry;
  switch (step) {
    case 'redeliver-webhooks':
      return { ...deps, recovery: { redeliverFailed: reject('redeliver') } };
    case 'requeue-jobs':
      return { ...deps, scaleUpQueue: { send: reject('sqs') } };
    case 'rerun-interrupted-jobs':
      return { ...deps, registry: Object.assign(Object.create(registry), { rerunJob: reject('rerun') }) };
    case 'terminate-orphan-machines':
      return {
        ...deps,
        compute: (kind) => Object.assign(Object.create(deps.compute(kind)), { list: reject('ec2') }),
      };
    case 'finish-terminations':
      return {
        ...deps,
        registry: Object.assign(Object.create(registry), { deleteRunner: reject('delete') }),
      };
    case 'delete-stale-secrets':
      return { ...deps, secrets: Object.assign(Object.create(fx.secrets), { list: reject('ssm') }) };
    case 'release-slots':
      return {
        ...deps,
        snapshots: {
          loadSnapshot: (id) =>
            id === poolStreamId('other') ? reject('dynamodb')() : fx.store.loadSnapshot(id),
          saveSnapshot: (id, version, state) => fx.store.saveSnapshot(id, version, state),
        },
      };
  }
}

const ALL: Omit<ReconcileReport, 'failedSteps'> = {
  deliveriesRedelivered: 2,
  jobsRequeued: 2, // job 10 (launch failed) and job 30 (its runner is being terminated)
  rerunsRequested: 1,
  instancesTerminated: 1,
  secretsDeleted: 1,
  slotsReleased: 1,
};
const COUNT_OF: Partial<Record<ReconcileStep, keyof typeof ALL>> = {
  'redeliver-webhooks': 'deliveriesRedelivered',
  'requeue-jobs': 'jobsRequeued',
  'rerun-interrupted-jobs': 'rerunsRequested',
  'terminate-orphan-machines': 'instancesTerminated',
  'delete-stale-secrets': 'secretsDeleted',
  'release-slots': 'slotsReleased',
};

describe('reconcile: every step is independent', () => {
  it('does the work of every step when nothing fails', async () => {
    const { fx, leak, terminating } = await worldWithWorkForEveryStep();
    expect(await reconcile(fx.deps, 'tick')).toEqual({ ...ALL, failedSteps: [] });
    expect(fx.ec2.machines.get(leak)?.view.state).toBe('terminated');
    expect((await read(fx.deps, fx.deps.streams.runner, runnerStreamId(terminating))).state.status).toBe(
      'terminated',
    );
  });

  const steps = Object.keys({
    'redeliver-webhooks': 1,
    'requeue-jobs': 1,
    'rerun-interrupted-jobs': 1,
    'terminate-orphan-machines': 1,
    'finish-terminations': 1,
    'delete-stale-secrets': 1,
    'release-slots': 1,
  } satisfies Record<ReconcileStep, 1>) as ReconcileStep[];

  it.each(steps)(
    'when %s fails, it is reported, logged and counted, and every other step still runs',
    async (step) => {
      const { fx, leak, terminating } = await worldWithWorkForEveryStep();
      const report = await reconcile(failing(fx, step), 'tick');
      const failedCount = COUNT_OF[step];
      expect(report).toEqual({ ...ALL, ...(failedCount ? { [failedCount]: 0 } : {}), failedSteps: [step] });
      expect(fx.logger.lines).toContainEqual(
        expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ step }) }),
      );
      expect(fx.metrics.points.filter((point) => point.name === 'ReconcileStepFailed')).toEqual([
        expect.objectContaining({ value: 1, dimensions: { step } }),
      ]);
      expect(fx.ec2.machines.get(leak)?.view.state).toBe(
        step === 'terminate-orphan-machines' ? 'running' : 'terminated',
      );
      const runner = (await read(fx.deps, fx.deps.streams.runner, runnerStreamId(terminating))).state;
      expect(runner.status).toBe(step === 'finish-terminations' ? 'terminating' : 'terminated');
    },
  );
});
