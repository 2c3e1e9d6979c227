import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '@hangar/test-support/github';
import { buildReport, logicalJobs, percentile, violations, waitSeconds } from './report';

const job = (over: Partial<JobRecord>): JobRecord => ({
  id: 1,
  runId: 1,
  repo: 'acme/web',
  name: 'build',
  labels: ['self-hosted'],
  runAttempt: 1,
  createdAt: '2026-01-05T08:00:00Z',
  durationMs: 1000,
  status: 'completed',
  conclusion: 'success',
  startedAt: '2026-01-05T08:00:30Z',
  startedAtMs: Date.parse('2026-01-05T08:00:30Z'),
  completedAt: '2026-01-05T08:01:00Z',
  runnerId: 7,
  runnerName: 'hgr-x',
  runnerGroupId: 1,
  runnerGroupName: 'Default',
  ...over,
});

const fleet = {
  launched: 3,
  duplicateLaunches: 0,
  alive: 0,
  peakAlive: 2,
  peakAliveByPool: { linux: 2 },
  launchedByPool: { linux: 3 },
  idleRunnerMinutes: 1.5,
};

describe('percentile', () => {
  it('uses the nearest rank and answers 0 for no values', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
});

describe('logicalJobs and waitSeconds', () => {
  it('groups re-run attempts under one job and measures each attempt from queued to started', () => {
    const jobs = [
      job({ id: 1 }),
      job({
        id: 2,
        runAttempt: 2,
        createdAt: '2026-01-05T08:02:00Z',
        startedAtMs: Date.parse('2026-01-05T08:02:10Z'),
      }),
    ];
    expect([...logicalJobs(jobs).values()].map((a) => a.map((j) => j.id))).toEqual([[1, 2]]);
    expect(waitSeconds(jobs)).toEqual([30, 10]);
    expect(waitSeconds([job({ status: 'queued', runnerId: null, startedAtMs: null })])).toEqual([]);
  });
});

describe('buildReport and violations', () => {
  const inputs = {
    fleet,
    maxRunnersByPool: { linux: 2 },
    github: { total: 10, byRoute: {}, byCaller: {} },
    aws: { ec2: { CreateFleet: 3 }, sqs: { SendMessageBatch: 3 } },
    eventsWritten: 12,
    deadLetters: {},
    simulatedMinutes: 5,
    wallSeconds: 1,
  };

  it('counts a job completed when its last attempt succeeded, and divides API calls by jobs', () => {
    const report = buildReport({
      ...inputs,
      jobs: [job({ id: 1, conclusion: 'failure' }), job({ id: 2, runAttempt: 2 }), job({ id: 3, runId: 2 })],
    });
    expect(report).toMatchObject({
      jobsQueued: 2,
      jobsCompleted: 2,
      jobsRerun: 1,
      githubCallsPerJob: 5,
      awsCallsPerJob: 3,
      maxRunners: 2,
      peakRunnersAlive: 2,
    });
    expect(violations(report)).toEqual([]);
  });

  it('counts apart the GitHub calls charged to the App: not the 304s, not the anonymous release check and downloads', () => {
    const report = buildReport({
      ...inputs,
      github: {
        total: 10,
        byRoute: { 'GET /app/hook/deliveries': 3, 'GET /repos/actions/runner/releases/latest': 1 },
        byCaller: { anonymous: 3, 'app:1': 3, 'installation:2': 4 },
        notModified: { 'GET /app/hook/deliveries': 2 },
      },
      jobs: [job({ id: 1 }), job({ id: 2, runId: 2 })],
    });
    expect(report).toMatchObject({
      githubCallsPerJob: 5,
      githubAppCallsPerJob: 2.5,
      githubNotModified: { 'GET /app/hook/deliveries': 2 },
    });
  });

  it('splits the GitHub calls into what jobs cause and what the schedules cost per hour', () => {
    const report = buildReport({
      ...inputs,
      simulatedMinutes: 30,
      github: {
        total: 12,
        byRoute: {
          'POST /orgs/{org}/actions/runners/generate-jitconfig': 4,
          'DELETE /orgs/{org}/actions/runners/{runner_id}': 1,
          'POST /app/hook/deliveries/{delivery_id}/attempts': 1,
          'GET /app/hook/deliveries': 3,
          'POST /app/installations/{installation_id}/access_tokens': 1,
          'GET /repos/actions/runner/releases/latest': 1,
          'GET /actions/runner/releases/download/{tag}/{asset}': 1,
        },
        byCaller: { anonymous: 2, 'app:1': 4, 'installation:2': 6 },
        notModified: { 'GET /app/hook/deliveries': 2 },
      },
      jobs: [job({ id: 1 }), job({ id: 2, runId: 2 }), job({ id: 3, runId: 3 }), job({ id: 4, runId: 4 })],
    });
    expect(report.githubSplit).toEqual({
      jobCalls: 6,
      jobCallsPerJob: 1.5,
      periodicCalls: 6,
      periodicCallsPerHour: 12,
      periodicAppCalls: 2,
    });
    expect(report.githubAppCallsPerJob).toBe(2);
  });

  it('reports duplicate launches, a pool above its maximum and unfinished jobs as violations', () => {
    const report = buildReport({
      ...inputs,
      fleet: { ...fleet, duplicateLaunches: 1, peakAliveByPool: { linux: 3 } },
      jobs: [job({ status: 'in_progress', conclusion: null })],
    });
    expect(violations(report)).toEqual([
      '1 machine(s) launched twice for one runner request',
      'pool linux peaked at 3 runners alive, above its maximum 2',
      '1 of 1 jobs did not complete',
    ]);
  });
});
