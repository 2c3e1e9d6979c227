import { describe, expect, it } from '@jest/globals';
import { formatSummary } from './demo-summary';
import type { ControlPlaneReport } from './report';

const report: ControlPlaneReport = {
  jobsQueued: 205,
  jobsCompleted: 205,
  jobsRerun: 2,
  waitP50Seconds: 140,
  waitP95Seconds: 390,
  waitMaxSeconds: 590,
  runnersLaunched: 207,
  peakRunnersAlive: 37,
  maxRunners: 42,
  duplicateLaunches: 0,
  idleRunnerMinutes: 0,
  githubCallsPerJob: 1.2,
  githubAppCallsPerJob: 1.18,
  githubSplit: {
    jobCalls: 218,
    jobCallsPerJob: 1.063,
    periodicCalls: 29,
    periodicCallsPerHour: 32.4,
    periodicAppCalls: 26,
  },
  awsCallsPerJob: 30.4,
  eventsWritten: 3432,
  simulatedMinutes: 53.7,
  wallSeconds: 64.8,
  pools: {},
  githubCalls: {},
  awsCalls: {},
  deadLetters: {},
};

describe('the demo summary', () => {
  it('shows every GitHub request per job, the REST calls charged to the App, and the per-job and periodic parts', () => {
    const lines = formatSummary(report, []).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}GitHub calls per job \(all HTTP\) +1\.2$/),
        expect.stringMatching(/^ {4}REST calls charged to the App +1\.18$/),
        expect.stringMatching(/^ {4}for jobs and runners +218 calls = 1\.063 per job$/),
        expect.stringMatching(/^ {4}periodic \(schedules\) +29 calls = 32\.4 an hour \(26 charged\)$/),
      ]),
    );
  });
});
