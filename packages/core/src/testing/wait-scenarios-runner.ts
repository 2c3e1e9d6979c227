/** The wait scenarios on the runner's side: a runner was requested; where did it get to? */
import { applyJobEvent } from '../application/apply-job-event';
import { execute } from '../application/execute';
import { runnerIdForJob } from '../application/scale-up';
import { jobStreamId } from '../job/job.decider';
import { JobId, PoolId } from '../shared/brand';
import type { ScalerFixture } from './scaler-fixture';
import { queueJob, serveQueued } from './scaler-steps';
import {
  capacityError,
  launched,
  machineEvent,
  runnerFact,
  settings,
  type WaitScenario,
} from './wait-scenario-steps';

/** GitHub's `in_progress` for `jobId` on the runner named `runnerName`, now. */
async function inProgress(fx: ScalerFixture, jobId: JobId, runnerName: string): Promise<void> {
  const at = fx.clock.now();
  await applyJobEvent(fx.deps, { jobId, action: 'in_progress', runnerName, at, deliveryId: `d-${jobId}` });
}

export const RUNNER_WAIT_SCENARIOS: readonly WaitScenario[] = [
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
      await inProgress(fx, job, name);
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
      await inProgress(fx, JobId(999), name);
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
