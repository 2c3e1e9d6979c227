import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { awsErrorAnswer, AwsFaultQueue } from './aws-proxy-faults';

/** A request as the proxy saw it: the AWS action and the raw body. */
export interface ProxiedRequest {
  readonly action: string;
  readonly body: string;
}

/** What an interceptor does with one request: the body to forward and a look at the answer. */
export interface Interception {
  readonly body: string;
  readonly onAnswer?: (status: number, responseBody: string) => void;
}

export interface AwsProxyHooks {
  /** Rewrites a request before it is forwarded (e.g. SQS delays into simulated time). */
  readonly intercept?: (request: ProxiedRequest) => Interception;
}

/**
 * A loopback pass-through in front of one emulator. The handlers are pointed at it instead of
 * the emulator, which lets the local control plane count every AWS call by action, translate
 * SQS delays into simulated time, and "kill" a handler mid-flight: a request can be forwarded
 * (so its effect happens) and never answered, exactly what a Lambda that dies after a cloud
 * call looks like to the rest of the system.
 */
export interface AwsProxy {
  readonly endpoint: string;
  /** Calls by action since start (or the last reset). */
  calls(): Readonly<Record<string, number>>;
  total(): number;
  resetCalls(): void;
  /** The next `times` calls of `action` are forwarded and then left unanswered. */
  swallowAnswers(action: string, times?: number): void;
  /** How many answers were swallowed so far. */
  swallowed(): number;
  /** Faults to inject (throttling, 5xx, lost or late answers), per action. */
  readonly faults: AwsFaultQueue;
  close(): Promise<void>;
}

/** The AWS action of a request: JSON protocols name it in X-Amz-Target, the Query protocol in `Action=`. */
export function actionOf(headers: IncomingMessage['headers'], body: string, method: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const match = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
  return match?.[1] ?? method;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startAwsProxy(target: string, hooks: AwsProxyHooks = {}): Promise<AwsProxy> {
  const counts = new Map<string, number>();
  const swallow = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const faults = new AwsFaultQueue();
  let swallowedCount = 0;

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const text = raw.toString('utf8');
    const action = actionOf(req.headers, text, req.method ?? 'POST');
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const fault = faults.take(action);
    if (fault?.kind === 'error') {
      const refused = awsErrorAnswer(req.headers, text, fault.status, fault.code);
      res.writeHead(refused.status, refused.headers);
      res.end(refused.body);
      return;
    }
    const interception = hooks.intercept?.({ action, body: text });
    // Bodies nobody rewrote travel as the original bytes (S3 objects are binary).
    const body = interception && interception.body !== text ? Buffer.from(interception.body) : raw;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !HOP_HEADERS.has(name)) headers[name] = value;
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const answer = await fetch(new URL(req.url ?? '/', target), {
      method: req.method ?? 'POST',
      headers,
      ...(hasBody ? { body } : {}),
    });
    const answerBody = Buffer.from(await answer.arrayBuffer());
    interception?.onAnswer?.(answer.status, answerBody.toString('utf8'));
    if (fault?.kind === 'lose-answer') {
      const lost = awsErrorAnswer(req.headers, text, fault.status, fault.code);
      res.writeHead(lost.status, lost.headers);
      res.end(lost.body);
      return;
    }
    if (fault?.kind === 'delay') await sleep(fault.ms);
    const left = swallow.get(action) ?? 0;
    if (left > 0) {
      // The effect happened; the caller never learns it. Held open until close().
      swallow.set(action, left - 1);
      swallowedCount += 1;
      hanging.add(res);
      return;
    }
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      const keep = req.method === 'HEAD' ? name !== 'connection' : !HOP_HEADERS.has(name);
      if (keep && name !== 'content-encoding' && name !== 'transfer-encoding') answerHeaders[name] = value;
    });
    // A HEAD answer keeps the object's length; anything else carries exactly the bytes we send.
    if (req.method !== 'HEAD') answerHeaders['content-length'] = String(answerBody.length);
    res.writeHead(answer.status, answerHeaders);
    res.end(answerBody);
  };

  const server = createServer((req, res) => {
    forward(req, res).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`local proxy could not reach ${target}: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    resetCalls: () => counts.clear(),
    swallowAnswers(action, times = 1) {
      swallow.set(action, (swallow.get(action) ?? 0) + times);
    },
    swallowed: () => swallowedCount,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
