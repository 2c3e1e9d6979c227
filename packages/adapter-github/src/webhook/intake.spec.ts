import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  startFakeGitHub,
  startWebhookReceiver,
  webhookSignatures,
  type FakeGitHub,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '@hangar/test-support/github';
import { createGitHubClients } from '../auth/app-pool';
import { GitHubRunnerRegistry } from '../runner-registry';
import { verifyAndParseWebhook, type WebhookRequest } from './intake';

const SECRET = 'current-secret';
const OLD_SECRET = 'previous-secret';

/** A request as API Gateway hands it over, signed with `secret`. */
function signed(body: string, secret = SECRET, headers: Record<string, string> = {}): WebhookRequest {
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'workflow_job',
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-Hub-Signature-256': webhookSignatures(secret, body).sha256,
      ...headers,
    },
    body,
    isBase64Encoded: false,
  };
}

const jobBody = (action: string, job: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    action,
    workflow_job: {
      id: 30433642,
      run_id: 29679449,
      run_attempt: 2,
      workflow_name: 'CI',
      labels: ['self-hosted', 'Linux', 'x64'],
      created_at: '2026-03-01T10:00:00Z',
      started_at: '2026-03-01T10:01:00Z',
      completed_at: action === 'completed' ? '2026-03-01T10:05:00Z' : null,
      runner_id: action === 'queued' ? null : 17,
      runner_name: action === 'queued' ? null : 'hangar-abc',
      conclusion: action === 'completed' ? 'success' : null,
      status: action,
      ...job,
    },
    repository: { name: 'web', full_name: 'acme/web', owner: { login: 'acme' } },
    installation: { id: 42 },
    ...extra,
  });

describe('verifyAndParseWebhook', () => {
  describe('with deliveries sent by the fake GitHub', () => {
    let fake: FakeGitHub;
    let receiver: WebhookReceiver;
    let registry: GitHubRunnerRegistry;

    beforeAll(async () => {
      fake = await startFakeGitHub();
      receiver = await startWebhookReceiver(SECRET);
      const app = fake.addApp();
      fake.addRepo('acme/web');
      fake.install(app.appId, 'acme');
      fake.setWebhook(app.appId, { url: receiver.url, secret: SECRET });
      registry = new GitHubRunnerRegistry(createGitHubClients({ apps: [app], baseUrl: fake.url }));
    });

    afterAll(async () => {
      await fake.close();
      await receiver.close();
    });

    const asRequest = (hit: ReceivedWebhook): WebhookRequest => ({
      headers: Object.fromEntries(
        Object.entries(hit.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      ),
      body: hit.rawBody,
      isBase64Encoded: false,
    });

    it('accepts queued, in_progress and completed deliveries as facts with the delivery id and times', async () => {
      const { jobId, runId } = fake.queueJob({ repo: 'acme/web', labels: ['self-hosted', 'linux'] });
      const jit = await registry.createJitConfig({
        scope: { level: 'org', owner: 'acme' },
        runnerName: 'hangar-r1',
        labels: ['self-hosted', 'linux'],
      });
      if (jit.outcome !== 'issued') throw new Error('runner name hangar-r1 is taken');
      const { encodedJitConfig, githubRunnerId } = jit;
      fake.connectRunner(encodedJitConfig);
      fake.completeJob(jobId, 'failure');
      await fake.webhooks.settle();
      const outcomes = receiver.received.map(
        (hit) => [hit.guid, verifyAndParseWebhook(asRequest(hit), [SECRET])] as const,
      );
      const job = fake.job(jobId);
      expect(
        outcomes.map(([guid, o]) =>
          o.kind === 'accepted' ? [o.fact.action, o.fact.deliveryId === guid] : o.kind,
        ),
      ).toEqual([
        ['queued', true],
        ['in_progress', true],
        ['completed', true],
      ]);
      const [, queued] = outcomes[0] ?? [];
      expect(queued).toEqual({
        kind: 'accepted',
        fact: expect.objectContaining({
          jobId: String(jobId),
          runId,
          runAttempt: 1,
          owner: 'acme',
          repo: 'web',
          labels: ['self-hosted', 'linux'],
          at: new Date(job.createdAt).toISOString(),
          conclusion: null,
        }),
      });
      const [, started] = outcomes[1] ?? [];
      expect(started).toMatchObject({
        kind: 'accepted',
        fact: { runnerName: 'hangar-r1', githubRunnerId, at: new Date(job.startedAt).toISOString() },
      });
      const [, completed] = outcomes[2] ?? [];
      expect(completed).toMatchObject({
        kind: 'accepted',
        fact: { conclusion: 'failure', at: new Date(job.completedAt ?? '').toISOString() },
      });
    });
  });

  it('accepts each workflow_job action with the time GitHub gives for it', () => {
    const at = (action: string) => {
      const o = verifyAndParseWebhook(signed(jobBody(action)), [SECRET]);
      return o.kind === 'accepted' ? [o.fact.action, o.fact.at, o.fact.githubRunnerId, o.fact.conclusion] : o;
    };
    expect(at('queued')).toEqual(['queued', '2026-03-01T10:00:00.000Z', null, null]);
    expect(at('waiting')).toEqual(['waiting', '2026-03-01T10:00:00.000Z', 17, null]);
    expect(at('in_progress')).toEqual(['in_progress', '2026-03-01T10:01:00.000Z', 17, null]);
    expect(at('completed')).toEqual(['completed', '2026-03-01T10:05:00.000Z', 17, 'success']);
  });

  it('maps every field of a fact, keeping label case', () => {
    expect(verifyAndParseWebhook(signed(jobBody('in_progress')), [SECRET])).toEqual({
      kind: 'accepted',
      fact: {
        deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        action: 'in_progress',
        jobId: '30433642',
        runId: 29679449,
        runAttempt: 2,
        workflowName: 'CI',
        owner: 'acme',
        repo: 'web',
        labels: ['self-hosted', 'Linux', 'x64'],
        at: '2026-03-01T10:01:00.000Z',
        runnerName: 'hangar-abc',
        githubRunnerId: 17,
        conclusion: null,
        installationId: 42,
      },
    });
  });

  it('accepts a base64-encoded body signed over the decoded bytes', () => {
    const body = jobBody('queued', { workflow_name: 'Déploiement ✓' });
    const request = signed(body);
    const outcome = verifyAndParseWebhook(
      { ...request, body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true },
      [SECRET],
    );
    expect(outcome).toMatchObject({ kind: 'accepted', fact: { workflowName: 'Déploiement ✓' } });
  });

  it('reads header names in any case', () => {
    const request = signed(jobBody('queued'));
    const upper = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyAndParseWebhook({ ...request, headers: upper }, [SECRET]).kind).toBe('accepted');
  });

  it('accepts a delivery signed with the previous secret during a rotation', () => {
    expect(verifyAndParseWebhook(signed(jobBody('queued'), OLD_SECRET), [SECRET, OLD_SECRET]).kind).toBe(
      'accepted',
    );
    expect(verifyAndParseWebhook(signed(jobBody('queued'), OLD_SECRET), [SECRET])).toMatchObject({
      kind: 'rejected',
      httpStatus: 401,
    });
  });

  it('rejects a missing signature with 401', () => {
    const request = signed(jobBody('queued'));
    const { 'X-Hub-Signature-256': _dropped, ...headers } = request.headers;
    expect(verifyAndParseWebhook({ ...request, headers }, [SECRET])).toEqual({
      kind: 'rejected',
      httpStatus: 401,
      reason: 'missing X-Hub-Signature-256 header',
    });
  });

  it('rejects a signature that does not match the bytes with 401, before parsing anything', () => {
    const request = signed(jobBody('queued'));
    const tampered = { ...request, body: request.body.replace('30433642', '30433643') };
    expect(verifyAndParseWebhook(tampered, [SECRET])).toMatchObject({ kind: 'rejected', httpStatus: 401 });
    const garbage = { ...request, body: 'not json at all' };
    expect(verifyAndParseWebhook(garbage, [SECRET])).toMatchObject({ kind: 'rejected', httpStatus: 401 });
    const malformed = signed(jobBody('queued'), SECRET, { 'X-Hub-Signature-256': 'sha256=zz' });
    expect(verifyAndParseWebhook(malformed, [SECRET])).toMatchObject({ kind: 'rejected', httpStatus: 401 });
  });

  it('rejects a body over the limit with 413, also when base64-encoded', () => {
    const body = jobBody('queued', { padding: 'x'.repeat(2000) });
    expect(verifyAndParseWebhook(signed(body), [SECRET], { maxBodyBytes: 1000 })).toMatchObject({
      kind: 'rejected',
      httpStatus: 413,
    });
    const encoded = { ...signed(body), body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
    expect(verifyAndParseWebhook(encoded, [SECRET], { maxBodyBytes: 1000 })).toMatchObject({
      httpStatus: 413,
    });
    expect(verifyAndParseWebhook(signed(body), [SECRET], { maxBodyBytes: 4000 }).kind).toBe('accepted');
  });

  it('rejects a signed body that is not JSON with 400', () => {
    expect(verifyAndParseWebhook(signed('{"action": "queued"'), [SECRET])).toMatchObject({
      kind: 'rejected',
      httpStatus: 400,
      reason: 'body is not a JSON object',
    });
    expect(verifyAndParseWebhook(signed('[1,2]'), [SECRET])).toMatchObject({ httpStatus: 400 });
  });

  it('rejects a form-encoded delivery with 415', () => {
    const request = signed('payload=%7B%7D', SECRET, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(verifyAndParseWebhook(request, [SECRET])).toMatchObject({ kind: 'rejected', httpStatus: 415 });
  });

  it('ignores ping and other events', () => {
    const ping = signed(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }), SECRET, {
      'X-GitHub-Event': 'ping',
    });
    expect(verifyAndParseWebhook(ping, [SECRET])).toEqual({ kind: 'ignored', reason: 'ping', event: 'ping' });
    const push = signed(JSON.stringify({ ref: 'refs/heads/main' }), SECRET, { 'X-GitHub-Event': 'push' });
    expect(verifyAndParseWebhook(push, [SECRET])).toEqual({
      kind: 'ignored',
      reason: 'event push is not handled',
      event: 'push',
    });
  });

  it('ignores a workflow_job action it does not know', () => {
    expect(verifyAndParseWebhook(signed(jobBody('requested')), [SECRET])).toEqual({
      kind: 'ignored',
      reason: 'workflow_job action requested is not handled',
      event: 'workflow_job',
    });
  });

  it('rejects a malformed workflow_job with 400 naming the field', () => {
    const reason = (body: string) => {
      const o = verifyAndParseWebhook(signed(body), [SECRET]);
      return o.kind === 'rejected' ? [o.httpStatus, o.reason] : o;
    };
    expect(reason(jobBody('queued', { id: '30433642' }))).toEqual([
      400,
      'workflow_job.id: must be a positive integer',
    ]);
    expect(reason(jobBody('queued', { run_id: undefined }))).toEqual([
      400,
      'workflow_job.run_id: must be a positive integer',
    ]);
    expect(reason(jobBody('queued', { labels: ['ok', 3] }))).toEqual([
      400,
      'workflow_job.labels[1]: must be a string',
    ]);
    expect(reason(jobBody('queued', { created_at: 'yesterday' }))).toEqual([
      400,
      'workflow_job.created_at: must be an ISO-8601 time',
    ]);
    expect(reason(jobBody('completed', { completed_at: null }))).toEqual([
      400,
      'workflow_job.completed_at: must be an ISO-8601 time',
    ]);
    expect(reason(jobBody('queued', {}, { repository: { name: 'web' } }))).toEqual([
      400,
      'repository.owner: must be an object',
    ]);
    expect(reason(JSON.stringify({ action: 'queued' }))).toEqual([400, 'workflow_job: must be an object']);
    expect(reason(JSON.stringify({ workflow_job: {} }))).toEqual([400, 'action: must be a string']);
  });

  it('rejects a delivery without event or delivery id with 400', () => {
    const request = signed(jobBody('queued'));
    const { 'X-GitHub-Delivery': _d, ...noDelivery } = request.headers;
    expect(verifyAndParseWebhook({ ...request, headers: noDelivery }, [SECRET])).toMatchObject({
      httpStatus: 400,
    });
    const { 'X-GitHub-Event': _e, ...noEvent } = request.headers;
    expect(verifyAndParseWebhook({ ...request, headers: noEvent }, [SECRET])).toMatchObject({
      httpStatus: 400,
    });
  });
});
