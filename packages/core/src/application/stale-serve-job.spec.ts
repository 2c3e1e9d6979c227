import { describe, expect, it } from '@jest/globals';
import { poolStreamId } from '../pool/pool.decider';
import { JobId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

// Chaos schedule 1210194171: a serve-job message carries the job as the webhook wrote it. Its
// invocation launched the runner and failed afterwards; SQS handed it out again once the job
// had started on that runner. Deciding on the carried (queued, no request) state, the
// redelivery asked for the runner again, was refused (the job runs), and released the slot —
// the live runner's — so the next waiting job got a second machine on a pool of max 1.
describe('a serve-job message redelivered after its job started', () => {
  it("leaves the running runner's slot held, so the pool never exceeds its maximum", async () => {
    const pool = poolConfig({ id: 'x64', ephemeral: false, maxRunners: 1 });
    const fx = scalerFixture(scalerSettings([pool]));
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 1001, fx.clock.now()));
    const [first] = fx.scaleUpQueue.take();
    if (!first) throw new Error('no scale-up message');
    expect((await scaleUp(fx.deps, first, 'first')).kind).toBe('launched');

    const runnerId = runnerIdForJob(JobId(1001), 1);
    fx.clock.advanceSeconds(60);
    await recordWorkflowJob(
      fx.deps,
      workflowJobFact('in_progress', 1001, fx.clock.now(), { runnerName: runnerNameFor(pool, runnerId) }),
    );
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 1002, fx.clock.now()));
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'second job');

    fx.clock.advanceSeconds(300);
    await scaleUp(fx.deps, first, 'redelivery');
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'woken');

    const poolState = (await read(fx.deps, fx.deps.streams.pool, poolStreamId(pool.id))).state;
    expect(Object.keys(poolState.slots)).toEqual([runnerId]);
    expect(poolState.alive).toBe(1);
  });
});
