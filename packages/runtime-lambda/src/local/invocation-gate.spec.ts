import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../composition/aws-clients';
import { InvocationGate, InvocationKilled, InvocationStopped, InvocationTimeout } from './invocation-gate';
import { ScheduleDriver } from './schedules';

let server: Server;
let endpoint = '';
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{"QueueUrls":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('InvocationGate', () => {
  it('refuses every call an invocation makes after its deadline, and rejects the invocation at the deadline', async () => {
    const gate = new InvocationGate();
    const made: string[] = [];
    const call = (target: string) => {
      gate.check(target);
      made.push(target);
    };
    let later: unknown;
    const run = gate.run('slow', 50, async () => {
      call('before');
      await sleep(150);
      try {
        call('after');
      } catch (error) {
        later = error;
      }
    });
    await expect(run).rejects.toBeInstanceOf(InvocationTimeout);
    await sleep(200);
    expect(made).toEqual(['before']);
    expect(later).toBeInstanceOf(InvocationStopped);
    expect(gate.stats).toEqual({ invocations: 1, timedOut: 1, killed: 0, refused: 1 });
  });

  it('kills the next invocation of a handler right after its Nth call: that call goes out, none after it', async () => {
    const gate = new InvocationGate();
    gate.killNext('scale-up', 2);
    const made: number[] = [];
    const run = gate.run('scale-up', 10_000, async () => {
      for (let n = 1; n <= 4; n += 1) {
        gate.check('dynamodb');
        made.push(n);
        await Promise.resolve();
      }
    });
    await expect(run).rejects.toBeInstanceOf(InvocationKilled);
    expect(made).toEqual([1, 2]);
    await expect(gate.run('scale-up', 1_000, async () => 'next one runs')).resolves.toBe('next one runs');
    expect(gate.pendingKills()).toBe(0);
  });

  it('leaves calls outside an invocation and in other invocations alone', async () => {
    const gate = new InvocationGate();
    const slow = gate.run('a', 20, () => sleep(100).then(() => gate.check('late')));
    const fine = gate.run('b', 5_000, () => sleep(150).then(() => gate.check('fine')));
    await expect(slow).rejects.toBeInstanceOf(InvocationTimeout);
    await expect(fine).resolves.toBeUndefined();
    expect(() => gate.check('setup')).not.toThrow();
  });

  it('sits in front of every request of the SDK clients the composition root builds', async () => {
    const gate = new InvocationGate();
    const client = sqsClient({
      aws: {
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        endpoints: { sqs: endpoint },
      },
      beforeCall: (target) => gate.check(target),
    });
    const before = requests;
    await gate.run('ok', 10_000, () => client.send(new ListQueuesCommand({})));
    expect(requests).toBe(before + 1);
    let refused: unknown;
    const run = gate.run('late', 20, async () => {
      await sleep(80);
      await client.send(new ListQueuesCommand({})).catch((error: unknown) => (refused = error));
    });
    await expect(run).rejects.toBeInstanceOf(InvocationTimeout);
    await sleep(150);
    expect(refused).toBeInstanceOf(InvocationStopped);
    expect(requests).toBe(before + 1);
    client.destroy();
  });

  it('stops a scheduled run at its timeout: the run counts as failed and its later calls are refused', async () => {
    const gate = new InvocationGate();
    const calls: string[] = [];
    const driver = new ScheduleDriver(
      [
        {
          name: 'reconciler',
          everySeconds: 60,
          handler: async () => {
            await sleep(100);
            gate.check('ec2');
            calls.push('ec2');
          },
        },
      ],
      () => new Date('2026-01-05T10:00:00Z'),
      'us-east-1',
      { gate, timeoutMs: 20 },
    );
    await driver.runDue();
    await sleep(150);
    expect(driver.stats.get('reconciler')).toMatchObject({ runs: 1, failures: 1 });
    expect(calls).toEqual([]);
    expect(gate.stats.refused).toBe(1);
  });
});
