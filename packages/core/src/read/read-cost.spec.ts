import { describe, expect, it } from '@jest/globals';
import { recordWorkflowJob } from '../application/record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from '../application/scale-up';
import { streams } from '../application/streams';
import type { RecordedEvent } from '../ports/event-store';
import { runnerStreamId } from '../runner/runner.decider';
import type { RunnerEvent } from '../runner/runner.events';
import { fold } from '../shared/decider';
import { JobId } from '../shared/brand';
import {
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { queueJob, serveQueued, threeJobsOnAFullPool } from '../testing/scaler-steps';
import { capacityError, linux } from '../testing/wait-scenario-steps';
import { describePools, listWaiting } from './queries';
import type { ReadDeps } from './read-streams';

const invalidTemplate = {
  outcome: 'failed',
  reason: 'invalid-configuration',
  retryable: false,
  errorCodes: ['InvalidLaunchTemplateName.NotFoundException'],
  detail: 'The specified launch template does not exist.',
} as const;

/** The read deps, recording which streams' events and heads are read (by query or by key). */
function recordingDeps(fx: ScalerFixture): { deps: ReadDeps; eventsRead: string[]; headsRead: string[] } {
  const eventsRead: string[] = [];
  const headsRead: string[] = [];
  const deps: ReadDeps = {
    eventStore: {
      readStream: (streamId, options) => {
        eventsRead.push(streamId);
        return fx.store.readStream(streamId, options);
      },
      append: (...args) => fx.store.append(...args),
    },
    snapshots: fx.store,
    index: {
      listOpen: (...args) => fx.store.listOpen(...args),
      findByLookupKey: (...args) => fx.store.findByLookupKey(...args),
      readHeads: (streamIds) => {
        headsRead.push(...streamIds);
        return fx.store.readHeads(streamIds);
      },
    },
    history: {
      readBackward: (streamId, options) => {
        eventsRead.push(streamId);
        return fx.store.readBackward(streamId, options);
      },
      readEventsUpTo: (wanted) => {
        eventsRead.push(...wanted.map((stream) => stream.streamId));
        return fx.store.readEventsUpTo(wanted);
      },
    },
  };
  return { deps, eventsRead, headsRead };
}

/**
 * Job 1's launch fails on capacity, then succeeds; job 2's fails for good; job 3's succeeds.
 * Then GitHub starts 1 and 3 and 2 is cancelled, so no job waits (a waiting job's runner is
 * read for its reason, which is not what is measured here).
 */
async function launchesWithFailures(fx: ScalerFixture): Promise<void> {
  fx.ec2.failNext(capacityError);
  await queueJob(fx, 1);
  // The message SQS redelivers after the failed attempt (the queue twin hands it out once).
  const [message] = fx.scaleUpQueue.take();
  await scaleUp(fx.deps, message!, 'test');
  fx.clock.advanceSeconds(30);
  await scaleUp(fx.deps, message!, 'test');
  fx.ec2.failNext(invalidTemplate);
  await queueJob(fx, 2);
  await serveQueued(fx);
  await queueJob(fx, 3);
  await serveQueued(fx);
  for (const jobId of [1, 3]) {
    const runnerName = runnerNameFor(linux(), runnerIdForJob(JobId(jobId), 1));
    await recordWorkflowJob(fx.deps, workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName }));
  }
  await recordWorkflowJob(
    fx.deps,
    workflowJobFact('completed', 2, fx.clock.now(), { conclusion: 'cancelled' }),
  );
}

describe('hangar waiting: the jobs the open-jobs index lists', () => {
  it('reads their events at the listed versions without reading their heads again', async () => {
    const fx = scalerFixture(scalerSettings([linux({ maxRunners: 1 })]));
    await threeJobsOnAFullPool(fx);
    const { deps, headsRead } = recordingDeps(fx);
    const waiting = await listWaiting(deps, fx.clock.now());
    expect(waiting.map((job) => [job.jobId, job.reason.code])).toEqual([
      ['1', 'runner-booting'],
      ['2', 'pool-at-max'],
      ['3', 'pool-at-max'],
    ]);
    expect(headsRead.filter((streamId) => streamId.startsWith('job-'))).toEqual([]);
  });
});

describe('hangar pools: launches and failures of the last hour', () => {
  it('counts launches and failed attempts, retried and final, from the runner heads without reading any runner stream', async () => {
    const fx = scalerFixture(scalerSettings([linux({ maxRunners: 10 })]));
    await launchesWithFailures(fx);
    const { deps, eventsRead } = recordingDeps(fx);
    const { pools } = await describePools(deps, fx.clock.now(), [{ id: 'linux', maxRunners: 10 }]);
    expect(pools[0]?.activity).toMatchObject({
      requested: 3,
      launched: 2,
      launchFailures: 2,
      finalFailures: 1,
    });
    expect(eventsRead.filter((streamId) => streamId.startsWith('runner-'))).toEqual([]);
  });

  it('counts a runner whose head was written before the failure count from its events', async () => {
    const fx = scalerFixture(scalerSettings([linux({ maxRunners: 10 })]));
    await launchesWithFailures(fx);
    // Job 1's runner comes online and an older release records it: its head has no count.
    const runnerId = runnerIdForJob(JobId(1), 1);
    const { events } = await fx.store.readStream(runnerStreamId(runnerId));
    const online: RunnerEvent = { type: 'RunnerOnline', data: { at: fx.clock.now() } };
    await fx.store.append(runnerStreamId(runnerId), events.length, [online], {
      metadata: { recordedAt: fx.clock.now() },
      head: olderHead([...events, online]),
    });
    const { deps, eventsRead } = recordingDeps(fx);
    const { pools } = await describePools(deps, fx.clock.now(), [{ id: 'linux', maxRunners: 10 }]);
    expect(pools[0]?.activity).toMatchObject({ launched: 2, launchFailures: 2, finalFailures: 1 });
    expect(eventsRead.filter((streamId) => streamId.startsWith('runner-'))).toEqual([
      runnerStreamId(runnerId),
    ]);
  });
});

/** The head an older release wrote for these events: the view without the failure fields. */
function olderHead(events: readonly (RecordedEvent | RunnerEvent)[]) {
  const definition = streams(60_000).runner;
  const state = fold(definition.decider, events as readonly RunnerEvent[]);
  const head = definition.head!(state, '');
  const { launchFailures: _count, lastLaunchFailureAt: _at, ...view } = head.view;
  return { ...head, view };
}
