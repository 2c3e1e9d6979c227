/** GitHub's side of the simulated world: jobs, runner registrations, webhook deliveries. */

export interface GhJob {
  readonly id: number;
  /** The first attempt's id: a re-run is a new job of the same logical job. */
  readonly logical: number;
  readonly runAttempt: number;
  readonly labels: readonly string[];
  readonly durationMs: number;
  readonly queuedAt: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  runnerName: string | null;
  runnerId: number | null;
  startedAt: number | null;
  /** Why it failed when it did: the runner's machine went away. */
  failure: 'runner-lost' | 'runner-deleted' | 'spot-interruption' | null;
  /** GitHub answers 403 to a re-run of this job (the `rerun-refused` fault). */
  rerunRefused: boolean;
}

export interface GhRunner {
  readonly id: number;
  readonly name: string;
  readonly labels: readonly string[];
  readonly ephemeral: boolean;
  readonly createdAt: number;
  status: 'online' | 'offline';
  /** Really running a job (what GitHub knows); the API may report it later (`busyVisibleAt`). */
  busy: boolean;
  busyVisibleAt: number;
  jobId: number | null;
  jobsRun: number;
  machineId: string | null;
}

export interface Delivery {
  readonly guid: string;
  readonly jobId: number;
  readonly action: 'queued' | 'in_progress' | 'completed';
  readonly body: string;
  readonly createdAt: number;
  dueAt: number;
  status: 'pending' | 'ok' | 'failed';
  /** A redelivery of a failed delivery has been made (and succeeded). */
  redelivered: boolean;
}

/** The `workflow_job` payload GitHub would send for a job now. */
export function workflowJobBody(job: GhJob, action: Delivery['action'], at: number): string {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return JSON.stringify({
    action,
    workflow_job: {
      id: job.id,
      run_id: 500_000 + job.logical,
      run_attempt: job.runAttempt,
      workflow_name: 'chaos',
      labels: job.labels,
      status: action,
      created_at: iso(job.queuedAt),
      started_at: iso(job.startedAt ?? at),
      completed_at: action === 'completed' ? iso(at) : null,
      runner_id: action === 'queued' ? null : job.runnerId,
      runner_name: action === 'queued' ? null : job.runnerName,
      conclusion: action === 'completed' ? job.conclusion : null,
    },
    repository: { name: 'app', full_name: 'acme/app', owner: { login: 'acme' } },
    installation: { id: 7 },
  });
}

/** Case-insensitive: every label the job asks for, the runner has. */
export function runnerServes(runner: GhRunner, job: GhJob): boolean {
  const have = new Set(runner.labels.map((label) => label.toLowerCase()));
  return job.labels.every((label) => have.has(label.toLowerCase()));
}
