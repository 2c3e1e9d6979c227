import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JobId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import type { JobCommand } from './job.commands';
import { jobDecider } from './job.decider';
import type { JobEvent } from './job.events';
import type { JobState } from './job.state';

type FactCommand = Extract<
  JobCommand,
  {
    type:
      | 'RecordJobQueued'
      | 'RecordJobWaiting'
      | 'RecordJobStarted'
      | 'RecordJobCompleted'
      | 'RecordJobInterrupted';
  }
>;

const time = fc
  .integer({ min: 0, max: 120 })
  .map((minute) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString());
const runnerName = fc.option(fc.constantFrom('hangar-a', 'hangar-b'), { nil: null });

const factArb: fc.Arbitrary<FactCommand> = fc.oneof(
  time.map((queuedAt): FactCommand => ({
    type: 'RecordJobQueued',
    data: {
      jobId: JobId(7),
      runId: '1',
      owner: 'acme',
      repo: 'app',
      labels: ['self-hosted'],
      installationId: null,
      name: 'test',
      queuedAt,
    },
  })),
  time.map((at): FactCommand => ({ type: 'RecordJobWaiting', data: { at } })),
  fc
    .record({ runnerName, githubRunnerId: fc.option(fc.nat(), { nil: null }), startedAt: time })
    .map((data): FactCommand => ({ type: 'RecordJobStarted', data })),
  fc
    .record({ conclusion: fc.constantFrom('success', 'failure', 'cancelled'), runnerName, completedAt: time })
    .map((data): FactCommand => ({ type: 'RecordJobCompleted', data })),
  time.map((at): FactCommand => ({ type: 'RecordJobInterrupted', data: { runnerId: RunnerId('r-1'), at } })),
);

/** A few distinct facts, delivered in any order, any of them any number of times. */
const deliveries = fc
  .array(factArb, { minLength: 1, maxLength: 6 })
  .chain((facts) =>
    fc
      .array(fc.nat({ max: facts.length - 1 }), { minLength: 1, maxLength: 24 })
      .map((order) => order.map((i) => facts[i] as FactCommand)),
  );

function record(commands: readonly JobCommand[]): { state: JobState; events: JobEvent[] } {
  let state = jobDecider.initialState;
  const events: JobEvent[] = [];
  for (const command of commands) {
    const decision = jobDecider.decide(command, state);
    if (decision.kind === 'rejected') throw new Error(`fact rejected: ${JSON.stringify(decision)}`);
    events.push(...decision.events);
    state = fold(jobDecider, decision.events, state);
  }
  return { state, events };
}

const rank: Record<JobState['status'], number> = { unknown: 0, queued: 1, in_progress: 2, completed: 3 };

describe('job decider properties', () => {
  it('any delivery order of GitHub facts is recorded without throwing or a rejection, and folds deterministically', () => {
    fc.assert(
      fc.property(deliveries, (commands) => {
        const { state, events } = record(commands);
        expect(fold(jobDecider, events)).toEqual(state);
        expect(fold(jobDecider, events)).toEqual(fold(jobDecider, events));
      }),
    );
  });

  it('a fact never moves the job back (completed stays completed, in_progress never returns to queued)', () => {
    fc.assert(
      fc.property(deliveries, (commands) => {
        let state = jobDecider.initialState;
        for (const command of commands) {
          const decision = jobDecider.decide(command, state);
          const next = decision.kind === 'accepted' ? fold(jobDecider, decision.events, state) : state;
          expect(rank[next.status]).toBeGreaterThanOrEqual(rank[state.status]);
          state = next;
        }
      }),
    );
  });

  it('the final status depends only on which facts arrived, not on their order or repeats', () => {
    fc.assert(
      fc.property(deliveries, (commands) => {
        const types = new Set(commands.map((c) => c.type));
        const expected: JobState['status'] = types.has('RecordJobCompleted')
          ? 'completed'
          : types.has('RecordJobStarted')
            ? 'in_progress'
            : types.has('RecordJobQueued')
              ? 'queued'
              : 'unknown';
        expect(record(commands).state.status).toBe(expected);
      }),
    );
  });

  it('every fact recorded a second time in a row records nothing', () => {
    fc.assert(
      fc.property(deliveries, factArb, (history, repeated) => {
        const { state } = record([...history, repeated]);
        expect(jobDecider.decide(repeated, state)).toEqual({ kind: 'accepted', events: [] });
      }),
    );
  });

  it('the job details are known once any queued delivery arrived, whatever came before it', () => {
    fc.assert(
      fc.property(deliveries, (commands) => {
        const { state } = record(commands);
        const sawQueued = commands.some((c) => c.type === 'RecordJobQueued');
        if (state.status !== 'unknown') expect(state.info !== null).toBe(sawQueued);
      }),
    );
  });
});
