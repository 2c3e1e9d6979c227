import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { webhookSignatures } from '@hangar/test-support/github';
import { verifyAndParseWebhook } from './intake';

interface Example {
  readonly action: string;
  readonly workflow_job: {
    readonly id: number;
    readonly run_id: number;
    readonly run_attempt?: number;
    readonly workflow_name?: string | null;
    readonly labels: string[];
    readonly runner_id: number | null;
    readonly runner_name: string | null;
    readonly conclusion: string | null;
    readonly created_at?: string;
    readonly started_at: string;
    readonly completed_at: string | null;
  };
  readonly repository: { readonly name: string; readonly owner: { readonly login: string } };
  readonly installation?: { readonly id: number };
}

/** Every `workflow_job` example payload of @octokit/webhooks-examples, per GitHub flavour. */
function examples(): [string, number, Example][] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@octokit/webhooks-examples/package.json'));
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const events = JSON.parse(readFileSync(join(root, d.name, 'index.json'), 'utf8')) as {
        name: string;
        examples: Example[];
      }[];
      const found = events.find((e) => e.name === 'workflow_job')?.examples ?? [];
      return found.map((example, i): [string, number, Example] => [d.name, i, example]);
    });
}

const ALL = examples();
const SECRET = 'examples-secret';
/** When GitHub says the action happened (the fact's `at`). */
const AT = {
  queued: 'created_at',
  waiting: 'created_at',
  in_progress: 'started_at',
  completed: 'completed_at',
};

describe('webhook intake over every workflow_job example of @octokit/webhooks-examples', () => {
  it('covers api.github.com and GitHub Enterprise Server examples', () => {
    const flavours = new Set(ALL.map(([flavour]) => flavour.replace(/-\d+$/, '')));
    expect(flavours).toEqual(new Set(['api.github.com', 'ghes']));
    expect(ALL.length).toBeGreaterThanOrEqual(10);
  });

  it.each(ALL)('%s example %i verifies and maps to its fact', (_flavour, _index, example) => {
    const body = JSON.stringify(example);
    const outcome = verifyAndParseWebhook(
      {
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'workflow_job',
          'x-github-delivery': 'd6b0c3c2-0000-4000-8000-000000000001',
          'x-hub-signature-256': webhookSignatures(SECRET, body).sha256,
        },
        body,
        isBase64Encoded: false,
      },
      [SECRET],
    );
    const job = example.workflow_job;
    const at = job[AT[example.action as keyof typeof AT] as keyof typeof job] as string;
    expect(outcome).toEqual({
      kind: 'accepted',
      fact: {
        deliveryId: 'd6b0c3c2-0000-4000-8000-000000000001',
        action: example.action,
        jobId: String(job.id),
        runId: job.run_id,
        runAttempt: job.run_attempt ?? 1,
        workflowName: job.workflow_name ?? null,
        owner: example.repository.owner.login,
        repo: example.repository.name,
        labels: job.labels,
        at: new Date(at).toISOString(),
        runnerName: job.runner_name || null,
        githubRunnerId: job.runner_id || null,
        conclusion: example.action === 'completed' ? job.conclusion : null,
        installationId: example.installation?.id ?? null,
      },
    });
  });
});
