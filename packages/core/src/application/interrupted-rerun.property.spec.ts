import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toIso, toMillis, type IsoTime } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import type { JobEventMessage } from './messages';
import { reconcile } from './reconcile';
import { recordInstanceEvent } from './record-instance-event';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';
import type { WorkflowJobFact } from './workflow-job-fact';
import { JobId } from '../shared/brand';

/**
 * A spot interruption kills the job its runner runs; GitHub reports the job failed or
 * cancelled. The three facts — the interruption (EventBridge), `in_progress` and `completed`
 * (webhooks, each moving the runner later through the job-events queue) — arrive in any
 * order, some twice, and the machine's own `terminated` event may come anywhere after it was
 * interrupted. Whatever the order, GitHub is asked to re-run the job exactly once; a job that
 * failed before the interruption, or succeeded, is never re-run.
 */
const JOB = 300;
const minutes = (start: IsoTime, n: number): IsoTime => toIso(toMillis(start) + n * 60_000);

type Delivery =
  | { readonly kind: 'webhook'; readonly fact: WorkflowJobFact }
  | { readonly kind: 'job-event'; readonly message: JobEventMessage }
  | { readonly kind: 'interruption' | 'terminated'; readonly at: IsoTime };

interface Scenario {
  readonly ephemeral: boolean;
  readonly conclusion: 'failure' | 'cancelled' | 'success';
  /** Minutes from the job start to its completion; the interruption is at minute 3. */
  readonly completedAfter: number;
  readonly picks: readonly number[];
  readonly duplicates: readonly boolean[];
}

async function runningJob(
  ephemeral: boolean,
): Promise<{ fx: ScalerFixture; name: string; instanceId: string }> {
  const pool = poolConfig({ id: 'linux', ephemeral });
  const fx = scalerFixture(scalerSettings([pool]));
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', JOB, fx.clock.now()));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
  const name = runnerNameFor(pool, runnerIdForJob(JobId(JOB), 1));
  const instanceId = [...fx.ec2.machines.keys()][0] ?? '';
  return { fx, name, instanceId };
}

/** Delivers everything in the scenario's order: a job event only after its webhook was recorded. */
async function deliverAll(fx: ScalerFixture, instanceId: string, pending: Delivery[], s: Scenario) {
  for (let i = 0; pending.length > 0; i += 1) {
    const index = (s.picks[i] ?? 0) % pending.length;
    const [next] = pending.splice(index, 1);
    if (!next) break;
    if (s.duplicates[i] === true && next.kind !== 'terminated') pending.push(next);
    if (next.kind === 'webhook') {
      await recordWorkflowJob(fx.deps, next.fact);
      for (const message of fx.jobEventsQueue.take()) pending.push({ kind: 'job-event', message });
    } else if (next.kind === 'job-event') {
      await applyJobEvent(fx.deps, next.message);
    } else if (next.kind === 'interruption') {
      await recordInstanceEvent(fx.deps, { kind: 'spot-interruption', instanceId, at: next.at }, 'eb');
    } else {
      await recordInstanceEvent(
        fx.deps,
        { kind: 'state-change', instanceId, state: 'terminated', at: next.at },
        'eb',
      );
    }
  }
}

async function reruns(s: Scenario): Promise<{ before: number; after: number }> {
  const { fx, name, instanceId } = await runningJob(s.ephemeral);
  const start = fx.clock.now();
  const pending: Delivery[] = [
    { kind: 'webhook', fact: workflowJobFact('in_progress', JOB, minutes(start, 1), { runnerName: name }) },
    { kind: 'interruption', at: minutes(start, 3) },
    {
      kind: 'webhook',
      fact: workflowJobFact('completed', JOB, minutes(start, 1 + s.completedAfter), {
        runnerName: name,
        conclusion: s.conclusion,
      }),
    },
    { kind: 'terminated', at: minutes(start, 5) },
  ];
  fx.clock.set(minutes(start, 10));
  await deliverAll(fx, instanceId, pending, s);
  const before = fx.registry.reruns.length;
  await reconcile(fx.deps, 'reconcile');
  return { before, after: fx.registry.reruns.length };
}

const scenario = (conclusions: Scenario['conclusion'][], completedAfter: fc.Arbitrary<number>) =>
  fc.record({
    ephemeral: fc.boolean(),
    conclusion: fc.constantFrom(...conclusions),
    completedAfter,
    picks: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    duplicates: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  });

describe('re-running a job killed by a spot interruption', () => {
  it('for every order of interruption, in_progress and a failed or cancelled completed, the rerun is requested exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(['failure', 'cancelled'], fc.integer({ min: 2, max: 6 })), async (s) => {
        expect(await reruns(s)).toEqual({ before: 1, after: 1 });
      }),
      { numRuns: 200 },
    );
  });

  it('never re-runs a job that succeeded or failed before its runner was interrupted, whatever the order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          scenario(['success'], fc.integer({ min: 0, max: 6 })),
          scenario(['failure', 'cancelled'], fc.integer({ min: 0, max: 1 })),
        ),
        async (s) => {
          expect(await reruns(s)).toEqual({ before: 0, after: 0 });
        },
      ),
      { numRuns: 200 },
    );
  });
});
