import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { actionOf, startAwsProxy } from './aws-proxy';

let target: Server;
let targetUrl: string;
const received: { action: string; body: Buffer }[] = [];

beforeAll(async () => {
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ action: String(req.headers['x-amz-target'] ?? req.method), body });
      res.writeHead(200, { 'content-type': 'application/json', etag: '"abc"', 'x-amz-meta-version': '2.1' });
      res.end(JSON.stringify({ echoed: body.length }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

describe('actionOf', () => {
  it('reads the action from X-Amz-Target for JSON protocols and from Action= for the Query protocol', () => {
    expect(actionOf({ 'x-amz-target': 'AmazonSQS.SendMessageBatch' }, '{}', 'POST')).toBe('SendMessageBatch');
    expect(actionOf({}, 'Action=CreateFleet&Version=2016-11-15', 'POST')).toBe('CreateFleet');
    expect(actionOf({}, '', 'PUT')).toBe('PUT');
  });
});

describe('startAwsProxy', () => {
  it('forwards bytes unchanged, returns the target answer with its headers and counts calls by action', async () => {
    const proxy = await startAwsProxy(targetUrl);
    const binary = Buffer.from([0, 255, 254, 1, 128]);
    const answer = await fetch(`${proxy.endpoint}/bucket/key`, { method: 'PUT', body: binary });
    expect(await answer.json()).toEqual({ echoed: 5 });
    expect(answer.headers.get('x-amz-meta-version')).toBe('2.1');
    expect(received[received.length - 1]?.body.equals(binary)).toBe(true);
    await fetch(proxy.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter' },
      body: '{}',
    });
    expect(proxy.calls()).toEqual({ PUT: 1, GetParameter: 1 });
    expect(proxy.total()).toBe(2);
    await proxy.close();
  });

  it('applies the interceptor rewrite and shows it the answer', async () => {
    const answers: string[] = [];
    const proxy = await startAwsProxy(targetUrl, {
      intercept: ({ body }) => ({
        body: body.replace('secret', 'public'),
        onAnswer: (_s, text) => answers.push(text),
      }),
    });
    await fetch(proxy.endpoint, { method: 'POST', headers: { 'x-amz-target': 'X.Y' }, body: 'a secret' });
    expect(received[received.length - 1]?.body.toString()).toBe('a public');
    expect(answers).toEqual(['{"echoed":8}']);
    await proxy.close();
  });

  it('forwards a swallowed call (its effect happens) but never answers the caller', async () => {
    const proxy = await startAwsProxy(targetUrl);
    proxy.swallowAnswers('CreateFleet');
    const before = received.length;
    const controller = new AbortController();
    const pending = fetch(proxy.endpoint, {
      method: 'POST',
      body: 'Action=CreateFleet',
      signal: controller.signal,
    }).then(
      () => 'answered',
      () => 'aborted',
    );
    // The proxy counts the swallow only after the target's answer is read: under load that
    // takes longer than any fixed pause, so wait for it (bounded by count, not by time).
    for (let tries = 0; tries < 400 && proxy.swallowed() === 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(received.length).toBe(before + 1);
    expect(proxy.swallowed()).toBe(1);
    controller.abort();
    expect(await pending).toBe('aborted');
    const next = await fetch(proxy.endpoint, { method: 'POST', body: 'Action=CreateFleet' });
    expect(next.status).toBe(200);
    await proxy.close();
  });

  it('answers an injected AWS error without forwarding, or forwards and loses the answer, as the SDK sees them', async () => {
    const proxy = await startAwsProxy(targetUrl);
    const client = new SQSClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    proxy.faults.add('ListQueues', { kind: 'error', status: 400, code: 'RequestThrottled' });
    proxy.faults.add('ListQueues', { kind: 'lose-answer', status: 500, code: 'InternalError' });
    const before = received.length;
    await expect(client.send(new ListQueuesCommand({}))).rejects.toMatchObject({
      name: 'RequestThrottled',
      $metadata: { httpStatusCode: 400 },
    });
    expect(received.length).toBe(before);
    await expect(client.send(new ListQueuesCommand({}))).rejects.toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    expect(received.length).toBe(before + 1);
    expect(proxy.faults.injected).toBe(2);
    client.destroy();
    await proxy.close();
  });
});
