import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import type { ScalerFixture } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { recordInstanceEvent } from './record-instance-event';
import { RecentStreamCache } from './recent-streams';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';
import { prepareScaleUpBatch } from './scale-up-batch';

const linux = poolConfig({ id: 'linux', maxRunners: 5 });

/**
 * Event-store calls by kind, as DynamoDB would bill them: a stream read (one Query, snapshot
 * included), an append (one TransactWriteItems, failed ones too) and an index read.
 */
function countStoreCalls(fx: ScalerFixture): { reads: number; appends: number; index: number } {
  const calls = { reads: 0, appends: 0, index: 0 };
  const store = fx.store;
  const readStream = store.readStream.bind(store);
  const append = store.append.bind(store);
  const appendAll = store.appendAll.bind(store);
  const findByLookupKey = store.findByLookupKey.bind(store);
  const listOpen = store.listOpen.bind(store);
  const readHeads = store.readHeads.bind(store);
  // readFromSnapshot reads through readStream: one call either way.
  store.readStream = (...args) => ((calls.reads += 1), readStream(...args));
  store.append = (...args) => ((calls.appends += 1), append(...args));
  // One TransactWriteItems however many streams it writes.
  store.appendAll = (...args) => ((calls.appends += 1), appendAll(...args));
  store.findByLookupKey = (...args) => ((calls.index += 1), findByLookupKey(...args));
  store.listOpen = (...args) => ((calls.index += 1), listOpen(...args));
  store.readHeads = (...args) => ((calls.index += 1), readHeads(...args));
  return calls;
}

/**
 * Each function in its own warm container (as Lambda runs them): it remembers only the streams
 * its own invocations read or wrote (recent-streams.ts).
 */
function functions(fx: ScalerFixture) {
  const as = (): ScalerFixture['deps'] => ({ ...fx.deps, recent: new RecentStreamCache() });
  return { webhook: as(), scaleUp: as(), jobEvents: as(), instanceEvents: as() };
}

/** What each step of one ephemeral job's life cost, in store calls. */
async function oneJob(fx: ScalerFixture, jobId: number): Promise<Record<string, unknown>> {
  const calls = countStoreCalls(fx);
  const fns = functions(fx);
  const cost: Record<string, unknown> = {};
  const step = async (name: string, run: () => Promise<unknown>) => {
    const before = { ...calls };
    const outcome = await run();
    cost[name] = {
      reads: calls.reads - before.reads,
      appends: calls.appends - before.appends,
      index: calls.index - before.index,
      ...(name.startsWith('machine ') ? { outcome } : {}),
    };
  };
  const runnerId = runnerIdForJob(JobId(jobId), 1);
  const runnerName = runnerNameFor(linux, runnerId);
  const events = async () => {
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fns.jobEvents, message);
  };
  await step('webhook queued', () =>
    recordWorkflowJob(fns.webhook, workflowJobFact('queued', jobId, fx.clock.now())),
  );
  await step('scale-up', async () => {
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fns.scaleUp, message, 'scale-up');
  });
  fx.clock.advanceSeconds(40);
  await step('webhook in_progress', () =>
    recordWorkflowJob(fns.webhook, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName })),
  );
  await step('job-events in_progress', events);
  fx.clock.advanceMinutes(3);
  await step('webhook completed', () =>
    recordWorkflowJob(fns.webhook, workflowJobFact('completed', jobId, fx.clock.now(), { runnerName })),
  );
  await step('job-events completed', events);
  const [instanceId] = [...fx.ec2.machines.keys()];
  if (instanceId === undefined) throw new Error('no machine was launched');
  await step('machine shutting-down', () =>
    recordInstanceEvent(
      fns.instanceEvents,
      { kind: 'state-change', instanceId, state: 'shutting-down', at: fx.clock.now() },
      'eb',
    ),
  );
  await step('machine terminated', () =>
    recordInstanceEvent(
      fns.instanceEvents,
      { kind: 'state-change', instanceId, state: 'terminated', at: fx.clock.now() },
      'eb',
    ),
  );
  cost.total = calls;
  return cost;
}

describe('event-store calls per ephemeral job (the DynamoDB budget, issue 14)', () => {
  it('costs 15 store calls from queued to its machine ended: no stream is read twice in a step', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    expect(await oneJob(fx, 1)).toEqual({
      // Appended on the empty stream; the job state rides on the scale-up message.
      'webhook queued': { reads: 0, appends: 1, index: 0 },
      // The pool read once; its slot, the job's request and the runner's (requested + launch
      // started) in one atomic append; the runner ×3 (launched + registration claimed,
      // registration created, registration issued).
      'scale-up': { reads: 1, appends: 4, index: 0 },
      // Scale-up wrote the job since the webhook's `queued`: read.
      'webhook in_progress': { reads: 1, appends: 1, index: 0 },
      // The runner read that confirmed its name is the one the decision is made on.
      'job-events in_progress': { reads: 1, appends: 1, index: 0 },
      // Decided on the job as this function's `in_progress` left it; the rerun check on the
      // state the completion appended.
      'webhook completed': { reads: 0, appends: 1, index: 0 },
      // Runner decided on as this function's `in_progress` left it: its machine terminated,
      // then finished and terminated recorded in one append; the pool read once and its slot
      // released.
      'job-events completed': { reads: 1, appends: 2, index: 0 },
      // The head the index returns shows the runner ended: nothing else to read.
      'machine shutting-down': {
        reads: 0,
        appends: 0,
        index: 1,
        outcome: { kind: 'recorded', runnerId: 'j1-1', detail: 'runner already ended' },
      },
      // The same machine's next event: this process saw its runner ended.
      'machine terminated': {
        reads: 0,
        appends: 0,
        index: 0,
        outcome: { kind: 'recorded', runnerId: 'j1-1', detail: 'runner already ended' },
      },
      total: { reads: 4, appends: 10, index: 1 },
    });
  });

  it('a job woken from a full pool is served without reading or writing the pool: the release handed it the slot', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    const fns = functions(fx);
    const serve = async () => {
      const outcomes = [];
      for (const message of fx.scaleUpQueue.take())
        outcomes.push(await scaleUp(fns.scaleUp, message, 'scale-up'));
      return outcomes.map((outcome) => outcome.kind);
    };
    await recordWorkflowJob(fns.webhook, workflowJobFact('queued', 3, fx.clock.now()));
    await recordWorkflowJob(fns.webhook, workflowJobFact('queued', 4, fx.clock.now()));
    expect(await serve()).toEqual(['launched', 'waiting']);
    const runnerName = runnerNameFor(linux, runnerIdForJob(JobId(3), 1));
    await recordWorkflowJob(fns.webhook, workflowJobFact('completed', 3, fx.clock.now(), { runnerName }));
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fns.jobEvents, message);
    const calls = countStoreCalls(fx);
    expect(await serve()).toEqual(['launched']);
    // The woken job read once; its request with the runner's, then the runner ×3; no pool call.
    expect(calls).toEqual({ reads: 1, appends: 4, index: 0 });
    expect(fx.ec2.alive()).toBe(1);
  });

  it('a batch of three jobs on one pool writes its slots and all their requests in one append', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const fns = functions(fx);
    for (const id of [5, 6, 7])
      await recordWorkflowJob(fns.webhook, workflowJobFact('queued', id, fx.clock.now()));
    const messages = fx.scaleUpQueue.take();
    const calls = countStoreCalls(fx);
    const prepared = await prepareScaleUpBatch(fns.scaleUp, messages, runnerIdForJob, 'batch');
    const outcomes = [];
    for (const message of messages) outcomes.push(await scaleUp(fns.scaleUp, message, 'batch', prepared));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['launched', 'launched', 'launched']);
    // The pool read once; one append for the 3 slots, 3 job requests and 3 runner requests;
    // then each runner ×3 (launched + claimed, registration created, issued).
    expect(calls).toEqual({ reads: 1, appends: 10, index: 0 });
  });

  it('a batch of three jobs refused at the maximum waits on the pool in one append', async () => {
    const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', maxRunners: 1 })]));
    const fns = functions(fx);
    await recordWorkflowJob(fns.webhook, workflowJobFact('queued', 8, fx.clock.now()));
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fns.scaleUp, message, 'first');
    for (const id of [9, 10, 11])
      await recordWorkflowJob(fns.webhook, workflowJobFact('queued', id, fx.clock.now()));
    const messages = fx.scaleUpQueue.take();
    const calls = countStoreCalls(fx);
    const prepared = await prepareScaleUpBatch(fns.scaleUp, messages, runnerIdForJob, 'batch');
    const outcomes = [];
    for (const message of messages) outcomes.push(await scaleUp(fns.scaleUp, message, 'batch', prepared));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['waiting', 'waiting', 'waiting']);
    // The pool read once and the three waits appended at once; each job's rejection recorded.
    expect(calls).toEqual({ reads: 1, appends: 4, index: 0 });
  });

  it('a redelivered queued webhook costs one failed append and the read it falls back to', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const fact = workflowJobFact('queued', 2, fx.clock.now());
    await recordWorkflowJob(fx.deps, fact);
    const calls = countStoreCalls(fx);
    await expect(recordWorkflowJob(fx.deps, fact)).resolves.toMatchObject({ duplicate: true });
    expect(calls).toEqual({ reads: 1, appends: 1, index: 0 });
  });
});
