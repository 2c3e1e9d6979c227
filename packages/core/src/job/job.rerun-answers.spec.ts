import { describe, expect, it } from '@jest/globals';
import { JobId, RunnerId } from '../shared/brand';
import { fold } from '../shared/decider';
import { deciderSpec } from '../testing/decider-spec';
import type { JobCommand } from './job.commands';
import { jobDecider } from './job.decider';
import type { JobEvent } from './job.events';

/** GitHub's answers to a rerun request: "never" (refused) and "not yet" (deferred). */
const T0 = '2026-01-01T10:00:00.000Z';
const T3 = '2026-01-01T10:03:00.000Z';
const T4 = '2026-01-01T10:04:00.000Z';
const queued: JobEvent = {
  type: 'JobQueued',
  data: {
    jobId: JobId(7),
    runId: '900',
    owner: 'acme',
    repo: 'app',
    labels: ['self-hosted'],
    installationId: 11,
    name: 'build',
    queuedAt: T0,
  },
};
const started: JobEvent = {
  type: 'JobStarted',
  data: { runnerName: 'hgr-a', githubRunnerId: 77, startedAt: T0 },
};
const interrupted: JobEvent = { type: 'JobInterrupted', data: { runnerId: RunnerId('a'), at: T0 } };
const failed: JobEvent = {
  type: 'JobCompleted',
  data: { conclusion: 'failure', runnerName: 'hgr-a', completedAt: T3 },
};
const killed = [queued, started, interrupted, failed];

const refusal = { reason: 'run-too-old', detail: 'created over a month ago', at: T4 } as const;
const deferral = { reason: 'run-in-progress', detail: 'already running', at: T4 } as const;
const refused: JobEvent = { type: 'JobRerunRefused', data: refusal };
const deferred: JobEvent = { type: 'JobRerunDeferred', data: deferral };
const rerunRequested: JobEvent = { type: 'JobRerunRequested', data: { at: T4 } };
const recordRefused: JobCommand = { type: 'RecordJobRerunRefused', data: refusal };
const recordDeferred: JobCommand = { type: 'RecordJobRerunDeferred', data: deferral };
const requestRerun: JobCommand = { type: 'RequestJobRerun', data: { at: T4 } };

const spec = deciderSpec(jobDecider);
const terminal = (history: JobEvent[]) => jobDecider.isTerminal(fold(jobDecider, history));

describe('job decider: GitHub refuses a rerun for good', () => {
  it('records the refusal with its reason and closes the job', () => {
    spec
      .given(killed)
      .when(recordRefused)
      .then([refused])
      .thenState({ status: 'completed', rerunRefused: 'run-too-old' });
    expect(terminal([...killed, refused])).toBe(true);
  });
  it('records a repeated refusal once', () => {
    spec
      .given([...killed, refused])
      .when(recordRefused)
      .thenNothing();
  });
  it('records nothing once the rerun was accepted (a late answer to a concurrent request)', () => {
    spec
      .given([...killed, rerunRequested])
      .when(recordRefused)
      .thenNothing();
  });
  it('records nothing for a job that has not completed', () => {
    spec.given([queued, started, interrupted]).when(recordRefused).thenNothing();
  });
  it('refuses to ask GitHub again after a refusal', () => {
    spec
      .given([...killed, refused])
      .when(requestRerun)
      .thenRejects({ reason: 'rerun-not-needed', status: 'completed' });
  });
});

describe('job decider: GitHub cannot rerun yet', () => {
  it('records the first deferral and keeps the job open for the reconciler', () => {
    spec.given(killed).when(recordDeferred).then([deferred]).thenState({ rerunDeferred: true });
    expect(terminal([...killed, deferred])).toBe(false);
  });
  it('records later deferrals as nothing, so a long run does not grow the stream', () => {
    spec
      .given([...killed, deferred])
      .when(recordDeferred)
      .thenNothing();
  });
  it('still asks GitHub again after a deferral', () => {
    spec
      .given([...killed, deferred])
      .when(requestRerun)
      .then([rerunRequested]);
  });
  it('records nothing after the rerun was accepted or refused', () => {
    spec
      .given([...killed, rerunRequested])
      .when(recordDeferred)
      .thenNothing();
    spec
      .given([...killed, refused])
      .when(recordDeferred)
      .thenNothing();
  });
});
