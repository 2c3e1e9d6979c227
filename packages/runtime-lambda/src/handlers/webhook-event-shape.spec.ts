import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createWebhookHandler } from './webhook';
import { captureOutput, httpEvent, sign, specWorld, workflowJobBody } from './spec-roots';

const body = workflowJobBody('queued', 11, ['self-hosted', 'linux', 'x64']);
const validHeaders = (): Record<string, unknown> => ({
  'content-type': 'application/json',
  'x-github-event': 'workflow_job',
  'x-github-delivery': 'delivery-shape',
  'x-hub-signature-256': sign(body),
});

/** An event whose shape a caller other than API Gateway could hand over: anything goes. */
const oddEvent = (changes: Record<string, unknown>): APIGatewayProxyEventV2 =>
  ({ ...httpEvent(body, {}), headers: validHeaders(), ...changes }) as unknown as APIGatewayProxyEventV2;

async function answer(event: APIGatewayProxyEventV2) {
  const world = await specWorld();
  const { value } = await captureOutput(() => createWebhookHandler(world.webhookRoot)(event));
  return {
    status: value.statusCode,
    body: JSON.parse(String(value.body)) as Record<string, unknown>,
    sent: world.fixture.scaleUpQueue.sent.length + world.fixture.jobEventsQueue.sent.length,
    appended: world.fixture.store.appendCount,
  };
}

describe('the webhook handler given a malformed event shape', () => {
  it.each([
    ['a signature header given as an array', { 'x-hub-signature-256': [sign(body)] }],
    ['a signature header given as a number', { 'x-hub-signature-256': 42 }],
    ['an event header given as an object', { 'x-github-event': { name: 'workflow_job' } }],
    ['a delivery header given as null', { 'x-github-delivery': null }],
  ])('answers 400 and records nothing for %s', async (_name, header) => {
    const result = await answer(oddEvent({ headers: { ...validHeaders(), ...header } }));
    expect(result).toMatchObject({ status: 400, sent: 0, appended: 0 });
    expect(result.body).toMatchObject({ status: 'rejected' });
    expect(String(result.body.reason)).toMatch(/^malformed event: /);
  });

  it('answers 400 when one header is given twice in different case with different values', async () => {
    const headers = { ...validHeaders(), 'X-Hub-Signature-256': sign(body, 'another-secret') };
    const result = await answer(oddEvent({ headers }));
    expect(result).toMatchObject({ status: 400, sent: 0, appended: 0 });
    expect(result.body.reason).toBe('malformed event: header x-hub-signature-256 is given 2 times');
  });

  it.each([
    ['headers given as a string', { headers: 'x-github-event: workflow_job' }],
    ['headers given as an array', { headers: [['x-github-event', 'workflow_job']] }],
    ['a body given as an object', { body: JSON.parse(body) as unknown }],
    ['a body given as a number', { body: 12 }],
    ['isBase64Encoded given as a string', { isBase64Encoded: 'true' }],
  ])('answers 400 and records nothing for %s', async (_name, changes) => {
    const result = await answer(oddEvent(changes));
    expect(result).toMatchObject({ status: 400, sent: 0, appended: 0 });
    expect(String(result.body.reason)).toMatch(/^malformed event: /);
  });

  it('answers 400 for an event that is not an object at all', async () => {
    const result = await answer(null as unknown as APIGatewayProxyEventV2);
    expect(result).toMatchObject({ status: 400, sent: 0, appended: 0 });
  });

  it('still records a delivery whose body is null-free and whose headers are all strings', async () => {
    const result = await answer(oddEvent({}));
    expect(result).toMatchObject({ status: 202, sent: 1 });
  });
});
