import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { InstanceId, JobId, PoolId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import type { RunnerCommand } from './runner.commands';
import { runnerDecider } from './runner.decider';
import type { RunnerEvent } from './runner.events';
import type { RunnerState } from './runner.state';

type Intention = Extract<
  RunnerCommand,
  { type: 'RequestRunner' | 'StartLaunch' | 'StartRegistration' | 'RequestTermination' }
>;
type Fact = Exclude<RunnerCommand, Intention>;

const time = fc
  .integer({ min: 0, max: 240 })
  .map((minute) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString());
const jobId = fc.option(fc.constantFrom(JobId(1), JobId(2)), { nil: null });

const factArb: fc.Arbitrary<Fact> = fc.oneof(
  fc
    .record({
      instanceId: fc.constantFrom(InstanceId('i-0aaa'), InstanceId('i-0bbb')),
      instanceType: fc.option(fc.constantFrom('m7g.large', 'c7g.xlarge'), { nil: null }),
      capacityType: fc.constantFrom('spot' as const, 'on-demand' as const),
      at: time,
    })
    .map((data): Fact => ({ type: 'RecordLaunchSucceeded', data })),
  fc
    .record({
      attempt: fc.integer({ min: 1, max: 3 }),
      reason: fc.constantFrom(
        'insufficient-capacity' as const,
        'throttled' as const,
        'invalid-configuration' as const,
      ),
      detail: fc.constant('from the compute provider'),
      retryable: fc.boolean(),
      maxAttempts: fc.constant(3),
      at: time,
    })
    .map((data): Fact => ({ type: 'RecordLaunchFailed', data })),
  fc
    .record({
      runnerName: fc.constant('hangar-r-1'),
      githubRunnerId: fc.option(fc.nat(), { nil: null }),
      at: time,
    })
    .map((data): Fact => ({ type: 'RecordRegistrationIssued', data })),
  time.map((at): Fact => ({ type: 'RecordRunnerOnline', data: { at } })),
  fc.record({ jobId, at: time }).map((data): Fact => ({ type: 'RecordRunnerJobStarted', data })),
  fc.record({ jobId, at: time }).map((data): Fact => ({ type: 'RecordRunnerJobFinished', data })),
  fc
    .record({
      attempt: fc.integer({ min: 1, max: 3 }),
      reason: fc.constantFrom('throttled' as const, 'dependency-unavailable' as const),
      detail: fc.constant('the answer was lost'),
      at: time,
    })
    .map((data): Fact => ({ type: 'RecordLaunchOutcomeUnknown', data })),
  fc
    .record({
      attempt: fc.integer({ min: 1, max: 3 }),
      runnerName: fc.constant('hangar-r-1'),
      githubRunnerId: fc.option(fc.nat(), { nil: null }),
      at: time,
    })
    .map((data): Fact => ({ type: 'RecordRegistrationCreated', data })),
  time.map((at): Fact => ({ type: 'RecordSpotInterruption', data: { at } })),
  time.map((at): Fact => ({ type: 'RecordDeregistered', data: { at } })),
  time.map((at): Fact => ({ type: 'RecordInstanceTerminated', data: { at } })),
);

const intentionArb: fc.Arbitrary<Intention> = fc.oneof(
  fc.record({ ephemeral: fc.boolean(), jobId, at: time }).map(({ ephemeral, jobId, at }): Intention => ({
    type: 'RequestRunner',
    data: {
      runnerId: RunnerId('r-1'),
      poolId: PoolId('p'),
      jobId,
      ephemeral,
      compute: 'ec2',
      secretSuffix: 'a'.repeat(32),
      at,
    },
  })),
  time.map((at): Intention => ({ type: 'StartLaunch', data: { capacityType: 'spot', at } })),
  time.map((at): Intention => ({
    type: 'StartRegistration',
    data: { runnerName: 'hangar-r-1', leaseSeconds: 120, at },
  })),
  fc
    .record({
      reason: fc.constantFrom('idle' as const, 'boot-timeout' as const, 'orphan' as const),
      at: time,
    })
    .map((data): Intention => ({ type: 'RequestTermination', data })),
);

/** A few distinct facts, delivered in any order and any number of times. */
const factDeliveries = fc
  .array(factArb, { minLength: 1, maxLength: 6 })
  .chain((facts) =>
    fc
      .array(fc.nat({ max: facts.length - 1 }), { minLength: 1, maxLength: 24 })
      .map((order) => order.map((i) => facts[i] as Fact)),
  );

/** A requested runner, then any mix of our intentions and (repeated, reordered) facts. */
const randomLifetimes = fc
  .tuple(
    intentionArb.filter((i) => i.type === 'RequestRunner'),
    fc.array(fc.oneof(factArb, intentionArb), { maxLength: 30 }),
  )
  .map(([request, rest]): RunnerCommand[] => [request, ...rest]);

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
/** The life GitHub and AWS usually report, for a reusable runner that runs two jobs. */
const usualLife = (ephemeral: boolean): RunnerCommand[] => [
  {
    type: 'RequestRunner',
    data: {
      runnerId: RunnerId('r-1'),
      poolId: PoolId('p'),
      jobId: JobId(1),
      ephemeral,
      compute: 'ec2',
      secretSuffix: 'a'.repeat(32),
      at: at(0),
    },
  },
  { type: 'StartLaunch', data: { capacityType: 'spot', at: at(1) } },
  {
    type: 'RecordLaunchSucceeded',
    data: { instanceId: InstanceId('i-0aaa'), instanceType: 'm7g.large', capacityType: 'spot', at: at(2) },
  },
  { type: 'RecordRegistrationIssued', data: { runnerName: 'hangar-r-1', githubRunnerId: 5, at: at(3) } },
  { type: 'RecordRunnerOnline', data: { at: at(4) } },
  { type: 'RecordRunnerJobStarted', data: { jobId: JobId(1), at: at(5) } },
  { type: 'RequestTermination', data: { reason: 'idle', at: at(6) } },
  { type: 'RecordRunnerJobFinished', data: { jobId: JobId(1), at: at(7) } },
  { type: 'RecordRunnerJobStarted', data: { jobId: JobId(2), at: at(8) } },
  { type: 'RequestTermination', data: { reason: 'idle', at: at(9) } },
  { type: 'RecordRunnerJobFinished', data: { jobId: JobId(2), at: at(10) } },
  { type: 'RequestTermination', data: { reason: 'idle', at: at(11) } },
  { type: 'RecordDeregistered', data: { at: at(12) } },
  { type: 'RecordInstanceTerminated', data: { at: at(13) } },
];

/**
 * The usual life, delivered the way webhooks and EventBridge really arrive: neighbours
 * swapped, some steps repeated or lost, and noise mixed in.
 */
const jumbledLifetimes = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.integer({ min: -12, max: 12 }), { minLength: 14, maxLength: 14 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 140 }), fc.nat({ max: 13 })), { maxLength: 6 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 140 }), fc.oneof(factArb, intentionArb)), { maxLength: 4 }),
    fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  )
  .map(([ephemeral, jitter, repeats, noise, kept]) => {
    const life = usualLife(ephemeral);
    const keyed: [number, RunnerCommand][] = life
      .map((command, i): [number, RunnerCommand] => [i * 10 + (jitter[i] ?? 0), command])
      .filter((_, i) => i === 0 || kept[i] !== false || i % 3 !== 0);
    for (const [key, i] of repeats) keyed.push([key, life[i] as RunnerCommand]);
    keyed.push(...noise);
    return keyed.sort((a, b) => a[0] - b[0]).map(([, command]) => command);
  });

const lifetimes = fc.oneof(randomLifetimes, jumbledLifetimes);

interface Step {
  readonly before: RunnerState;
  readonly command: RunnerCommand;
  readonly events: readonly RunnerEvent[];
  readonly rejected: boolean;
  readonly after: RunnerState;
}

function run(commands: readonly RunnerCommand[]): {
  steps: Step[];
  events: RunnerEvent[];
  state: RunnerState;
} {
  let state = runnerDecider.initialState;
  const steps: Step[] = [];
  const events: RunnerEvent[] = [];
  for (const command of commands) {
    const decision = runnerDecider.decide(command, state);
    const decided = decision.kind === 'accepted' ? decision.events : [];
    const after = fold(runnerDecider, decided, state);
    steps.push({ before: state, command, events: decided, rejected: decision.kind === 'rejected', after });
    events.push(...decided);
    state = after;
  }
  return { steps, events, state };
}

describe('runner decider properties', () => {
  it('facts in any order, repeated, never throw, are never rejected and fold deterministically', () => {
    fc.assert(
      fc.property(fc.boolean(), factDeliveries, (ephemeral, facts) => {
        const request: RunnerCommand = {
          type: 'RequestRunner',
          data: {
            runnerId: RunnerId('r-1'),
            poolId: PoolId('p'),
            jobId: null,
            ephemeral,
            compute: 'ec2',
            secretSuffix: 'a'.repeat(32),
            at: '2026-01-01T10:00:00.000Z',
          },
        };
        for (const commands of [facts, [request, ...facts]]) {
          const { steps, events, state } = run(commands);
          expect(steps.filter((s) => s.rejected)).toEqual([]);
          expect(fold(runnerDecider, events)).toEqual(state);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any mix of intentions and facts folds to the same state as the decisions made along the way', () => {
    fc.assert(
      fc.property(lifetimes, (commands) => {
        const { events, state } = run(commands);
        expect(fold(runnerDecider, events)).toEqual(state);
        expect(run(commands).events).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });

  it('every fact recorded a second time in a row records nothing', () => {
    fc.assert(
      fc.property(lifetimes, factArb, (history, repeated) => {
        const { state } = run([...history, repeated]);
        expect(runnerDecider.decide(repeated, state)).toEqual({ kind: 'accepted', events: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('a busy runner is never terminated by RequestTermination, however often it was busy before', () => {
    fc.assert(
      fc.property(lifetimes, (commands) => {
        for (const step of run(commands).steps) {
          if (step.before.status !== 'busy') continue;
          if (step.command.type === 'RequestTermination') {
            expect(step.rejected).toBe(true);
            expect(step.after).toBe(step.before);
          }
          expect(step.events.map((e) => e.type)).not.toContain('RunnerTerminationRequested');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a late repeat of a finished job never frees a runner busy with its next job', () => {
    fc.assert(
      fc.property(lifetimes, time, (commands, at) => {
        for (const { after: state } of run(commands).steps) {
          if (state.status !== 'busy') continue;
          for (const { jobId } of state.machine.finishedJobs) {
            const repeat: RunnerCommand = { type: 'RecordRunnerJobFinished', data: { jobId, at } };
            expect(runnerDecider.decide(repeat, state)).toEqual({ kind: 'accepted', events: [] });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is never idle while a job it was seen starting has not been seen finishing', () => {
    fc.assert(
      fc.property(lifetimes, (commands) => {
        const started = new Set<string>();
        const finished = new Set<string>();
        for (const { events, after } of run(commands).steps) {
          for (const event of events) {
            if (event.type === 'RunnerJobStarted' && event.data.jobId) started.add(event.data.jobId);
            if (event.type === 'RunnerJobFinished' && event.data.jobId) finished.add(event.data.jobId);
          }
          const open = [...started].filter((jobId) => !finished.has(jobId));
          if (open.length > 0 && after.status !== 'terminating' && after.status !== 'terminated')
            expect(after).toMatchObject({ status: 'busy', runningJobIds: open });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an ended runner refuses intentions and records only facts about its machine, once, staying ended', () => {
    fc.assert(
      fc.property(lifetimes, fc.oneof(factArb, intentionArb), (history, command) => {
        const { state } = run(history);
        if (!runnerDecider.isTerminal(state)) return;
        const decision = runnerDecider.decide(command, state);
        if (decision.kind === 'rejected') return;
        // A spot warning or a finished job may arrive after the machine is gone: interrupted jobs need them.
        for (const event of decision.events)
          expect(['RunnerInterrupted', 'RunnerJobFinished']).toContain(event.type);
        const after = fold(runnerDecider, decision.events, state);
        expect(runnerDecider.isTerminal(after)).toBe(true);
        expect(after.status).toBe(state.status);
        expect(runnerDecider.decide(command, after)).toEqual({ kind: 'accepted', events: [] });
      }),
      { numRuns: 300 },
    );
  });
});
