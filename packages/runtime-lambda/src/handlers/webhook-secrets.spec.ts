import { describe, expect, it } from '@jest/globals';
import { configure } from '../config/load';
import { appPrivateKey, fullEnvironment, validParameters } from '../spec-fixtures';
import { createWebhookHandler } from './webhook';
import { captureOutput, httpEvent, sign, specWorld, workflowJobBody } from './spec-roots';

const privateKey = appPrivateKey();

/** The webhook as its configuration builds it from the SSM parameter's value. */
async function webhookWith(parameterValue: string) {
  const config = await configure(fullEnvironment(), 'webhook', validParameters(privateKey, parameterValue));
  const world = await specWorld();
  const handler = createWebhookHandler({ ...world.webhookRoot, webhookSecrets: config.webhookSecrets });
  return async (secret: string, jobId: number) => {
    const body = workflowJobBody('queued', jobId, ['self-hosted', 'linux', 'x64']);
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'workflow_job',
      'x-github-delivery': `delivery-${jobId}`,
      'x-hub-signature-256': sign(body, secret),
    };
    const { value } = await captureOutput(() => handler(httpEvent(body, headers)));
    return value.statusCode;
  };
}

describe('webhook secrets from the SSM parameter', () => {
  it('does not accept a delivery signed with a fragment of a secret that contains a comma', async () => {
    const deliver = await webhookWith('first-half,second-half');
    expect(await deliver('first-half', 1)).toBe(401);
    expect(await deliver('second-half', 2)).toBe(401);
    expect(await deliver('first-half,second-half', 3)).toBe(202);
  });

  it('accepts deliveries signed with either secret of a rotation list, and nothing else', async () => {
    const deliver = await webhookWith(JSON.stringify(['new,one', 'old-one']));
    expect(await deliver('new,one', 4)).toBe(202);
    expect(await deliver('old-one', 5)).toBe(202);
    expect(await deliver('new', 6)).toBe(401);
  });
});
