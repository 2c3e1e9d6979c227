import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { recordWorkflowJob, type JitConfigRequest } from '@hangar/core';
import { workflowJobFact } from '@hangar/core/testing/scaler-fixture';
import { createScaleUpHandler } from '../handlers/scale-up';
import { createWebhookHandler } from '../handlers/webhook';
import {
  captureOutput,
  httpEvent,
  SECRET,
  sign,
  specWorld,
  sqsEvent,
  workflowJobBody,
} from '../handlers/spec-roots';
import { redact } from './redact';

describe('logs', () => {
  it('never contain webhook bodies, signatures, secrets, JIT configs or App private keys', async () => {
    const world = await specWorld();
    const jitConfig = `jit-${randomBytes(24).toString('hex')}`;
    const createJitConfig = world.fixture.registry.createJitConfig.bind(world.fixture.registry);
    world.fixture.registry.createJitConfig = async (request: JitConfigRequest) => ({
      ...(await createJitConfig(request)),
      encodedJitConfig: jitConfig,
    });
    const bodyMarker = `body-marker-${randomBytes(8).toString('hex')}`;
    const body = workflowJobBody('queued', 31, ['self-hosted', 'linux', 'x64']).replace(
      '"workflow_name":"ci"',
      `"workflow_name":"${bodyMarker}"`,
    );
    const headers = { 'X-GitHub-Event': 'workflow_job', 'X-GitHub-Delivery': 'delivery-31' };
    const webhook = createWebhookHandler(world.webhookRoot);
    const scaleUp = createScaleUpHandler(world.root);
    const badSignature = sign(body, 'not-the-secret');

    const { value, output } = await captureOutput(async () => {
      const accepted = await webhook(httpEvent(body, { ...headers, 'X-Hub-Signature-256': sign(body) }));
      const rejected = await webhook(httpEvent(body, { ...headers, 'X-Hub-Signature-256': badSignature }));
      await recordWorkflowJob(
        world.deps,
        workflowJobFact('queued', 32, world.fixture.clock.now(), { labels: ['self-hosted', 'linux', 'x64'] }),
      );
      const serve = JSON.stringify({ kind: 'serve-job', jobId: '32', attempt: 1, reason: 'queued' });
      const batch = await scaleUp(sqsEvent({ id: 'm-32', body: serve }));
      return { accepted: accepted.statusCode, rejected: rejected.statusCode, batch };
    });

    expect(value).toEqual({ accepted: 202, rejected: 401, batch: { batchItemFailures: [] } });
    // The JIT config really went through: it is stored for the runner, not logged.
    expect(JSON.stringify([...world.fixture.secrets.values.values()])).toContain(jitConfig);
    expect(output).toContain('"message":"Workflow job recorded"');
    expect(output).toContain('"message":"Webhook rejected"');
    expect(output).toContain('"message":"Scale-up message handled"');
    const privateKey = world.config.githubApps[0]?.privateKey ?? '';
    for (const secret of [
      SECRET,
      sign(body).slice('sha256='.length),
      badSignature.slice('sha256='.length),
      bodyMarker,
      jitConfig,
      'PRIVATE KEY',
      privateKey.split('\n')[1] ?? 'unreachable',
    ])
      expect(output).not.toContain(secret);
  });

  it('redacts secret-named attributes at any depth and reduces errors to name and message', () => {
    const error = Object.assign(new Error('boom'), { retryable: true, request: { body: 'raw' } });
    expect(
      redact({ jobId: '1', jitConfig: 'x', nested: { privateKey: 'k', list: [{ signature: 's' }] }, error }),
    ).toEqual({
      jobId: '1',
      jitConfig: '[redacted]',
      nested: { privateKey: '[redacted]', list: [{ signature: '[redacted]' }] },
      error: { name: 'Error', message: 'boom', retryable: true },
    });
  });
});
