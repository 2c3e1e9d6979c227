import type { FakeGitHub, JobRecord } from '@hangar/test-support/github';

/**
 * The fake GitHub re-runs a job as a new job without a duration, so nothing would ever finish
 * it. A re-run does the same work as the attempt before it: this completes a running re-run
 * once it has run as long as its first attempt was meant to. Returns the jobs it completed.
 */
export function completeDueReruns(fake: FakeGitHub, nowMs: number): number[] {
  const jobs = fake.jobs();
  const durationOf = (job: JobRecord): number | null =>
    jobs.find((j) => j.runId === job.runId && j.name === job.name && j.runAttempt === 1)?.durationMs ?? null;
  const due = jobs.filter((job) => {
    if (job.status !== 'in_progress' || job.durationMs !== null || job.runAttempt < 2) return false;
    const duration = durationOf(job);
    return duration !== null && job.startedAtMs !== null && nowMs >= job.startedAtMs + duration;
  });
  for (const job of due) fake.completeJob(job.id, 'success');
  return due.map((job) => job.id);
}
