import { createHmac } from 'node:crypto';
import type { JobSpec } from './cases';

const LABELS: Readonly<Record<JobSpec['labels'], readonly string[]>> = {
  routable: ['self-hosted', 'linux', 'x64'],
  unroutable: ['self-hosted', 'linux', 'gpu-a100'],
  'github-hosted': ['ubuntu-latest'],
};

/** Labels the fuzzing pool serves (see `FUZZ_POOL`). */
export const ROUTABLE_LABELS = LABELS.routable;

/** A `workflow_job` delivery body as GitHub sends it. */
export function workflowJobPayload(job: JobSpec): Record<string, unknown> {
  const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`;
  const started = job.action === 'in_progress' || job.action === 'completed';
  return {
    action: job.action,
    workflow_job: {
      id: 90_000 + job.jobId,
      run_id: 70_000 + job.jobId,
      run_attempt: job.runAttempt,
      workflow_name: 'CI',
      name: 'build',
      head_branch: 'main',
      status: job.action === 'waiting' ? 'waiting' : job.action,
      labels: [...LABELS[job.labels]],
      created_at: at(0),
      started_at: at(1),
      completed_at: job.action === 'completed' ? at(5) : null,
      runner_id: started ? 17 : null,
      runner_name: started ? `hgr-j${90_000 + job.jobId}-1` : null,
      runner_group_name: started ? 'Default' : null,
      conclusion: job.action === 'completed' ? 'success' : null,
      steps: [],
    },
    repository: {
      id: 4242,
      name: 'web',
      full_name: 'acme/web',
      private: true,
      owner: { login: 'acme', id: 77, type: 'Organization' },
    },
    organization: { login: 'acme', id: 77 },
    installation: { id: 42 },
    sender: { login: 'octocat', id: 1 },
  };
}

export const signature = (body: Uint8Array | string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** GitHub's delivery headers, in GitHub's capitalisation or lower-cased as AWS hands them over. */
export function deliveryHeaders(
  event: string,
  deliveryId: string,
  sig: string | null,
  headerCase: JobSpec['headerCase'],
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/abc1234',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': deliveryId,
    'X-GitHub-Hook-ID': '123',
    'X-GitHub-Hook-Installation-Target-Type': 'integration',
    ...(sig === null ? {} : { 'X-Hub-Signature-256': sig }),
  };
  if (headerCase === 'github') return headers;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
