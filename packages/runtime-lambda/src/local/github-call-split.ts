import type { CallCounts } from '@hangar/test-support/github';

/**
 * The demo's GitHub requests in two parts, so a reader sees the floor of "calls per job":
 * what jobs and runners cause (one JIT config per runner, and the repairs a fault makes
 * necessary) and what the schedules cost whatever the number of jobs (the delivery log, runner
 * lists, tokens and installation lookups per process, the runner release mirror).
 */
export interface GitHubCallSplit {
  /** Registrations, registration deletes, job reads, re-runs and webhook redeliveries. */
  readonly jobCalls: number;
  /** Three decimals: the part the 1.05 a job is set against. */
  readonly jobCallsPerJob: number;
  /** Everything else: the schedules' reads, tokens, installation lookups, the release mirror. */
  readonly periodicCalls: number;
  /** `periodicCalls` per simulated hour: what the schedules cost an idle deployment, at most. */
  readonly periodicCallsPerHour: number;
  /** Of `periodicCalls`, those charged to the App's rate limit (not 304, not anonymous). */
  readonly periodicAppCalls: number;
}

/**
 * Routes whose calls a job or a runner causes: a runner's registration (JIT config or
 * registration token) and its deletion, a job read, a re-run, a redelivery of a failed webhook.
 */
const PER_JOB_ROUTES: readonly RegExp[] = [
  /^POST .*\/actions\/runners\/(generate-jitconfig|registration-token)$/,
  /^DELETE .*\/actions\/runners\/\{runner_id\}$/,
  /^GET \/repos\/\{owner\}\/\{repo\}\/actions\/jobs\/\{job_id\}$/,
  /^POST \/repos\/\{owner\}\/\{repo\}\/actions\/jobs\/\{job_id\}\/rerun$/,
  /^POST \/app\/hook\/deliveries\/\{delivery_id\}\/attempts$/,
];

/** Anonymous routes (the binaries mirror): never charged to the App. */
const ANONYMOUS_ROUTES: readonly RegExp[] = [
  /^GET \/repos\/actions\/runner\/releases/,
  /^GET \/actions\/runner\//,
];

const sum = (counts: Readonly<Record<string, number>>, keep: (route: string) => boolean): number =>
  Object.entries(counts)
    .filter(([route]) => keep(route))
    .reduce((total, [, n]) => total + n, 0);

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Splits the fake GitHub's counts into the per-job and the periodic part. */
export function splitGitHubCalls(
  github: CallCounts,
  jobs: number,
  simulatedMinutes: number,
): GitHubCallSplit {
  const perJob = (route: string) => PER_JOB_ROUTES.some((pattern) => pattern.test(route));
  const anonymous = (route: string) => ANONYMOUS_ROUTES.some((pattern) => pattern.test(route));
  const jobCalls = sum(github.byRoute, perJob);
  const periodicCalls = github.total - jobCalls;
  const periodicFree =
    sum(github.byRoute, (route) => !perJob(route) && anonymous(route)) +
    sum(github.notModified ?? {}, (route) => !perJob(route));
  return {
    jobCalls,
    jobCallsPerJob: jobs === 0 ? 0 : round(jobCalls / jobs, 3),
    periodicCalls,
    periodicCallsPerHour: simulatedMinutes <= 0 ? 0 : round((periodicCalls * 60) / simulatedMinutes),
    periodicAppCalls: periodicCalls - periodicFree,
  };
}
