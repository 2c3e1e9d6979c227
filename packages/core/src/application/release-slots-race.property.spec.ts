import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { poolStreamId } from '../pool/pool.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId } from '../shared/brand';
import type { ReconcileDeps } from './deps';
import { execute, read } from './execute';
import { reconcile } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';
import { applyJobEvent } from './apply-job-event';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { overriding } from '../testing/scheduled-ports';

/**
 * The reconciler's `release-slots` step gives back a slot whose runner was reserved and never
 * requested, once the reservation is older than the grace period. A scale-up that reserved it
 * and then died (two Lambda timeouts, or GitHub down between reservation and request) comes
 * back late with the same reservation: fc.scheduler interleaves every event-store call of that
 * late scale-up with the reconciler's. Whatever the order, the late runner never runs without
 * a slot: a job that comes next on a pool of one never gets a second machine.
 */
const scheduledStore = (s: fc.Scheduler, deps: ReconcileDeps): ReconcileDeps => ({
  ...deps,
  eventStore: overriding(deps.eventStore, {
    readStream: s.scheduleFunction(deps.eventStore.readStream.bind(deps.eventStore)),
    append: s.scheduleFunction(deps.eventStore.append.bind(deps.eventStore)),
    ...(deps.eventStore.appendAll
      ? { appendAll: s.scheduleFunction(deps.eventStore.appendAll.bind(deps.eventStore)) }
      : {}),
  }),
});

/** At most one machine alive on the pool of one, and every live runner holds a slot. */
async function expectEveryLiveRunnerHoldsASlot(fx: ScalerFixture): Promise<void> {
  const { state: pool } = await read(fx.deps, fx.deps.streams.pool, poolStreamId('linux'));
  expect(fx.ec2.alive()).toBeLessThanOrEqual(1);
  for (const machine of fx.ec2.machines.values()) {
    if (machine.view.state === 'terminated' || machine.view.runnerId === null) continue;
    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(machine.view.runnerId));
    expect({
      runner: machine.view.runnerId,
      status: state.status,
      slot: machine.view.runnerId in pool.slots,
    }).toEqual({ runner: machine.view.runnerId, status: state.status, slot: true });
  }
}

const linux = poolConfig({ id: 'linux', maxRunners: 1 });

describe('a reconciler release racing a late scale-up', () => {
  it('never leaves the late runner running without a slot: alive stays at most max, and every live runner holds a slot', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
        const late = JobId(7001);
        await recordWorkflowJob(fx.deps, workflowJobFact('queued', late, fx.clock.now()));
        const [lateMessage] = fx.scaleUpQueue.take();
        // The first delivery reserved its slot and died before requesting the runner.
        await execute(
          fx.deps,
          fx.deps.streams.pool,
          poolStreamId('linux'),
          {
            type: 'ReserveRunnerSlot',
            data: { runnerId: runnerIdForJob(late, 1), jobId: late, maxRunners: 1, at: fx.clock.now() },
          },
          'first-delivery',
        );
        fx.clock.advanceMinutes(fx.deps.options.orphanGraceMinutes + 1);
        const deps = scheduledStore(s, fx.deps);
        await s.waitFor(
          Promise.allSettled([reconcile(deps, 'reconcile'), scaleUp(deps, lateMessage!, 'late-delivery')]),
        );
        // The next job takes whatever slot is free.
        await recordWorkflowJob(fx.deps, workflowJobFact('queued', 7002, fx.clock.now()));
        for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'next-job');

        await expectEveryLiveRunnerHoldsASlot(fx);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a late woken job run without the slot a release handed it: the reconciler withdrawing it first wins', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
        for (const id of [7101, 7102])
          await recordWorkflowJob(fx.deps, workflowJobFact('queued', id, fx.clock.now()));
        for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'first');
        // Job 7101's runner finishes: the release hands its slot to the waiting job 7102, whose
        // woken message comes back only after the grace period (a crash, two timeouts).
        const runnerName = runnerNameFor(linux, runnerIdForJob(JobId(7101), 1));
        await recordWorkflowJob(fx.deps, workflowJobFact('completed', 7101, fx.clock.now(), { runnerName }));
        for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
        const [woken] = fx.scaleUpQueue.take();
        expect(woken).toMatchObject({ jobId: '7102', slotHeld: true });
        fx.clock.advanceMinutes(fx.deps.options.orphanGraceMinutes + 1);
        const deps = scheduledStore(s, fx.deps);
        await s.waitFor(
          Promise.allSettled([reconcile(deps, 'reconcile'), scaleUp(deps, woken!, 'late-woken')]),
        );
        // Whatever is queued next (the reconciler's requests, a new job) takes what is free.
        await recordWorkflowJob(fx.deps, workflowJobFact('queued', 7103, fx.clock.now()));
        for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'next');
        await expectEveryLiveRunnerHoldsASlot(fx);
      }),
      { numRuns: 100 },
    );
  });
});
