import { describe, expect, it } from '@jest/globals';
import { jobStreamId } from '../job/job.decider';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, RunnerId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { execute, read } from './execute';
import { RecentStreamCache } from './recent-streams';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

const linux = poolConfig({ id: 'linux', maxRunners: 5 });

describe('RecentStreamCache', () => {
  it('keeps the newest version of a stream and drops the least recently remembered beyond its bound', () => {
    const cache = new RecentStreamCache(2);
    cache.remember('a', { state: 'a2', version: 2 });
    cache.remember('a', { state: 'a1', version: 1 });
    expect(cache.get('a')).toEqual({ state: 'a2', version: 2 });
    cache.remember('b', { state: 'b1', version: 1 });
    cache.remember('c', { state: 'c1', version: 1 });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ state: 'c1', version: 1 });
    cache.rememberEnded('i-1', RunnerId('r1'));
    expect(cache.endedRunner('i-1')).toBe('r1');
  });
});

/** One job queued, served and started, each function in its own container. */
async function startedJob(jobId: number) {
  const fx = scalerFixture(scalerSettings([linux]));
  const webhook = { ...fx.deps, recent: new RecentStreamCache() };
  const jobEvents = { ...fx.deps, recent: new RecentStreamCache() };
  const runnerName = runnerNameFor(linux, runnerIdForJob(JobId(jobId), 1));
  await recordWorkflowJob(webhook, workflowJobFact('queued', jobId, fx.clock.now()));
  for (const m of fx.scaleUpQueue.take()) await scaleUp({ ...fx.deps, recent: undefined }, m, 'up');
  fx.clock.advanceSeconds(30);
  await recordWorkflowJob(webhook, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  for (const m of fx.jobEventsQueue.take()) await applyJobEvent(jobEvents, m);
  return { fx, webhook, jobEvents, runnerName };
}

describe('deciding on a stream as this process last saw it', () => {
  it('records a completion on the fresh stream when another function wrote the job since', async () => {
    const { fx, webhook, runnerName } = await startedJob(7);
    const stream = jobStreamId(JobId(7));
    const remembered = webhook.recent.get(stream);
    // Another function writes the job after this process last saw it.
    await execute(
      { ...fx.deps, recent: undefined },
      fx.deps.streams.job,
      stream,
      { type: 'RecordJobInterrupted', data: { runnerId: runnerIdForJob(JobId(7), 1), at: fx.clock.now() } },
      'spot',
    );
    fx.clock.advanceMinutes(2);
    await recordWorkflowJob(webhook, workflowJobFact('completed', 7, fx.clock.now(), { runnerName }));
    const { state, version } = await read(fx.deps, fx.deps.streams.job, stream);
    expect(state.status).toBe('completed');
    expect(version).toBeGreaterThan((remembered?.version ?? 0) + 1);
    expect(webhook.recent.get(stream)?.version).toBe(version);
  });

  it('records the runner finished on the fresh stream when another function wrote it since', async () => {
    const { fx, jobEvents, runnerName } = await startedJob(8);
    const runnerId = runnerIdForJob(JobId(8), 1);
    await execute(
      { ...fx.deps, recent: undefined },
      fx.deps.streams.runner,
      runnerStreamId(runnerId),
      { type: 'RecordSpotInterruption', data: { at: fx.clock.now() } },
      'spot',
    );
    fx.clock.advanceMinutes(2);
    await recordWorkflowJob(
      { ...fx.deps, recent: undefined },
      workflowJobFact('completed', 8, fx.clock.now(), { runnerName }),
    );
    const outcomes = [];
    for (const m of fx.jobEventsQueue.take()) outcomes.push(await applyJobEvent(jobEvents, m));
    expect(outcomes).toEqual([{ kind: 'runner-retired', runnerId }]);
    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(state.status).toBe('terminated');
    expect(state.status === 'terminated' && state.machine?.interruptedAt).toBeTruthy();
  });
});
