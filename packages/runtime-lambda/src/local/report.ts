import type { CallCounts, JobRecord } from '@hangar/test-support/github';
import type { DynamoDbBreakdown } from './dynamodb-breakdown';
import type { FleetSnapshot } from './fleet-observer';
import { splitGitHubCalls, type GitHubCallSplit } from './github-call-split';

/** The demo's report; the fields named in issue 5 are top level and numeric. */
export interface ControlPlaneReport {
  readonly jobsQueued: number;
  readonly jobsCompleted: number;
  readonly jobsRerun: number;
  readonly waitP50Seconds: number;
  readonly waitP95Seconds: number;
  readonly waitMaxSeconds: number;
  readonly runnersLaunched: number;
  readonly peakRunnersAlive: number;
  readonly maxRunners: number;
  readonly duplicateLaunches: number;
  readonly idleRunnerMinutes: number;
  /** Every request the fake GitHub received (all HTTP requests, 304s and downloads included). */
  readonly githubCallsPerJob: number;
  /**
   * The REST API calls charged to the App's rate limit: made with its credentials (JWT or
   * installation token) and not answered 304. The release check is anonymous (an IP's own 60 an
   * hour) and asset downloads are github.com object storage, not API calls; a 304 to a
   * conditional request is not charged ("Best practices for using the REST API", GitHub docs).
   */
  readonly githubAppCallsPerJob?: number;
  /** The per-job part of `githubCalls` and the schedules' (periodic) part, per simulated hour. */
  readonly githubSplit?: GitHubCallSplit;
  /** Conditional requests GitHub answered 304 Not Modified, per route (counted in `githubCalls`). */
  readonly githubNotModified?: Readonly<Record<string, number>>;
  readonly awsCallsPerJob: number;
  readonly eventsWritten: number;
  readonly simulatedMinutes: number;
  readonly wallSeconds: number;
  readonly pools: Readonly<Record<string, { maxRunners: number; peakAlive: number; launched: number }>>;
  readonly githubCalls: Readonly<Record<string, number>>;
  readonly awsCalls: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** DynamoDB calls by handler, then `Operation target` (what the call touched), whole run. */
  readonly dynamoDbByHandler?: DynamoDbBreakdown;
  /**
   * Invocations the local plane stopped past their real-time guard (a loaded machine): each
   * sends its messages back for the visibility timeout, which lengthens waits and adds calls.
   */
  readonly invocationsTimedOut?: number;
  readonly deadLetters: Readonly<Record<string, number>>;
}

/** Nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** A job as the workload sees it: one run + name, whatever number of attempts it took. */
export function logicalJobs(jobs: readonly JobRecord[]): Map<string, JobRecord[]> {
  const byKey = new Map<string, JobRecord[]>();
  for (const job of jobs) {
    const key = `${job.runId}/${job.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), job]);
  }
  for (const attempts of byKey.values()) attempts.sort((a, b) => a.runAttempt - b.runAttempt);
  return byKey;
}

/** Seconds each attempt waited between being queued and starting on a runner. */
export function waitSeconds(jobs: readonly JobRecord[]): number[] {
  return jobs
    .filter((job) => job.startedAtMs !== null && job.runnerId !== null)
    .map((job) => Math.max(0, ((job.startedAtMs as number) - Date.parse(job.createdAt)) / 1000));
}

export interface ReportInputs {
  readonly jobs: readonly JobRecord[];
  readonly fleet: FleetSnapshot;
  readonly maxRunnersByPool: Readonly<Record<string, number>>;
  readonly github: CallCounts;
  readonly aws: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly dynamoDbByHandler?: DynamoDbBreakdown;
  readonly invocationsTimedOut?: number;
  readonly eventsWritten: number;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly simulatedMinutes: number;
  readonly wallSeconds: number;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Builds the report from what the fake GitHub and the emulators recorded. */
export function buildReport(inputs: ReportInputs): ControlPlaneReport {
  const logical = logicalJobs(inputs.jobs);
  const completed = [...logical.values()].filter((attempts) => {
    const last = attempts[attempts.length - 1];
    return last?.status === 'completed' && last.conclusion === 'success';
  }).length;
  const waits = waitSeconds(inputs.jobs);
  const awsTotal = Object.values(inputs.aws)
    .flatMap((calls) => Object.values(calls))
    .reduce((sum, n) => sum + n, 0);
  const jobsQueued = logical.size;
  const pools: Record<string, { maxRunners: number; peakAlive: number; launched: number }> = {};
  for (const [pool, maxRunners] of Object.entries(inputs.maxRunnersByPool)) {
    pools[pool] = {
      maxRunners,
      peakAlive: inputs.fleet.peakAliveByPool[pool] ?? 0,
      launched: inputs.fleet.launchedByPool[pool] ?? 0,
    };
  }
  return {
    jobsQueued,
    jobsCompleted: completed,
    jobsRerun: inputs.jobs.length - jobsQueued,
    waitP50Seconds: round(percentile(waits, 50)),
    waitP95Seconds: round(percentile(waits, 95)),
    waitMaxSeconds: round(percentile(waits, 100)),
    runnersLaunched: inputs.fleet.launched,
    peakRunnersAlive: inputs.fleet.peakAlive,
    // -1 means unlimited; the total is of the pools that have a maximum.
    maxRunners: Object.values(inputs.maxRunnersByPool).reduce((sum, n) => sum + Math.max(0, n), 0),
    duplicateLaunches: inputs.fleet.duplicateLaunches,
    idleRunnerMinutes: inputs.fleet.idleRunnerMinutes,
    githubCallsPerJob: jobsQueued === 0 ? 0 : round(inputs.github.total / jobsQueued, 2),
    githubAppCallsPerJob: jobsQueued === 0 ? 0 : round(appCharged(inputs.github) / jobsQueued, 2),
    githubNotModified: inputs.github.notModified ?? {},
    githubSplit: splitGitHubCalls(inputs.github, jobsQueued, inputs.simulatedMinutes),
    awsCallsPerJob: jobsQueued === 0 ? 0 : round(awsTotal / jobsQueued, 2),
    eventsWritten: inputs.eventsWritten,
    simulatedMinutes: round(inputs.simulatedMinutes),
    wallSeconds: round(inputs.wallSeconds),
    pools,
    githubCalls: inputs.github.byRoute,
    awsCalls: inputs.aws,
    dynamoDbByHandler: inputs.dynamoDbByHandler ?? {},
    invocationsTimedOut: inputs.invocationsTimedOut ?? 0,
    deadLetters: inputs.deadLetters,
  };
}

/** Calls counted against the App's rate limit: neither anonymous nor answered 304. */
function appCharged(github: CallCounts): number {
  const free = Object.values(github.notModified ?? {}).reduce((sum, n) => sum + n, 0);
  return github.total - (github.byCaller.anonymous ?? 0) - free;
}

/** Invariants every run must hold; each violation is a sentence. */
export function violations(report: ControlPlaneReport): string[] {
  const problems: string[] = [];
  if (report.duplicateLaunches > 0)
    problems.push(`${report.duplicateLaunches} machine(s) launched twice for one runner request`);
  for (const [pool, stats] of Object.entries(report.pools)) {
    if (stats.maxRunners >= 0 && stats.peakAlive > stats.maxRunners)
      problems.push(
        `pool ${pool} peaked at ${stats.peakAlive} runners alive, above its maximum ${stats.maxRunners}`,
      );
  }
  if (report.jobsCompleted < report.jobsQueued)
    problems.push(
      `${report.jobsQueued - report.jobsCompleted} of ${report.jobsQueued} jobs did not complete`,
    );
  return problems;
}
