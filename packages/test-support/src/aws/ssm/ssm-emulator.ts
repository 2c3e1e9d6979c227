import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIONS, type SsmRequest } from './ssm-actions';
import { SsmServiceError, SsmStore, type StoredParameter } from './ssm-store';

/**
 * A failure the emulator injects: an AWS error answered instead of running the action, a delay
 * before answering, or both. A fault with only `delayMs` slows the call and then serves it.
 */
export interface SsmFault {
  /** Operation name (`PutParameter`, `GetParametersByPath`, ...) or `*` for every action. */
  readonly action: string;
  /** AWS error code, e.g. `ThrottlingException`, `InternalServerError`, `AccessDeniedException`. */
  readonly code?: string;
  /** Milliseconds to wait before answering (to drive client timeouts). */
  readonly delayMs?: number;
  /** How many matching calls fail (default 1; `Infinity` fails until `faults.clear()`). */
  readonly times?: number;
  /** HTTP status (default 500 for InternalServerError/ServiceUnavailable, else 400). */
  readonly status?: number;
  readonly message?: string;
}

/** One request the emulator received, faulted ones included, in arrival order. */
export interface SsmCall {
  readonly action: string;
  readonly input: SsmRequest;
  /** The error code answered, when the call failed. */
  readonly errorCode?: string;
}

/** A running SSM emulator on 127.0.0.1 with a free port. */
export interface SsmEmulator {
  /** Pass as `endpoint` to `SSMClient`. */
  readonly endpoint: string;
  parameters(): StoredParameter[];
  calls(): SsmCall[];
  readonly faults: { add(fault: SsmFault): void; clear(): void };
  /** Resolves once no request is being handled (a delayed call whose client gave up included). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface SsmEmulatorOptions {
  /** Epoch milliseconds stamped as LastModifiedDate (default: the system clock). */
  readonly nowMs?: () => number;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly errorCode?: string;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AmazonSSM.';

function errorReply(code: string, message: string, status: number): Reply {
  return { status, errorCode: code, body: { __type: code, message } };
}

function defaultStatus(code: string): number {
  return code === 'InternalServerError' || code === 'ServiceUnavailable' ? 500 : 400;
}

/**
 * Starts a loopback emulator of the SSM Parameter Store subset Hangar calls, speaking the
 * AWS JSON 1.1 protocol the real SDK uses. Without injected delays, requests are applied
 * one at a time in arrival order, so concurrent writes resolve deterministically.
 */
export async function startSsmEmulator(options: SsmEmulatorOptions = {}): Promise<SsmEmulator> {
  const store = new SsmStore(options.nowMs ?? (() => Date.now()));
  const calls: SsmCall[] = [];
  const faults: { fault: SsmFault; left: number }[] = [];
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    for (const wake of idleWaiters) wake();
    idleWaiters = [];
  };

  /** The first pending fault for `action`, counted down by one. */
  const takeFault = (action: string): SsmFault | undefined => {
    const index = faults.findIndex((f) => f.fault.action === action || f.fault.action === '*');
    const pending = faults[index];
    if (!pending) return undefined;
    pending.left -= 1;
    if (pending.left <= 0) faults.splice(index, 1);
    return pending.fault;
  };

  const handle = async (target: string | undefined, raw: string): Promise<Reply> => {
    const action = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let input: SsmRequest;
    try {
      input = raw.length === 0 ? {} : (JSON.parse(raw) as SsmRequest);
    } catch {
      return errorReply('SerializationException', 'Request body is not valid JSON', 400);
    }
    const fault = takeFault(action);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const reply = dispatch(action, input, fault);
    calls.push({ action, input, ...(reply.errorCode ? { errorCode: reply.errorCode } : {}) });
    return reply;
  };

  const dispatch = (action: string, input: SsmRequest, fault: SsmFault | undefined): Reply => {
    const run = ACTIONS[action];
    if (!run)
      return errorReply(
        'UnknownOperationException',
        `Operation ${action} is not supported by the emulator`,
        400,
      );
    if (fault?.code) {
      const { code, status, message } = fault;
      return errorReply(code, message ?? `Injected ${code} for ${action}`, status ?? defaultStatus(code));
    }
    try {
      return { status: 200, body: run(store, input) };
    } catch (error) {
      if (error instanceof SsmServiceError) return errorReply(error.code, error.message, error.status);
      throw error;
    }
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    readBody(req)
      .then((raw) => handle(req.headers['x-amz-target'] as string | undefined, raw))
      .then((reply) => send(res, reply))
      .catch((error: unknown) =>
        send(res, errorReply('InternalServerError', `emulator failure: ${String(error)}`, 500)),
      )
      .finally(settle);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    parameters: () => store.all(),
    calls: () => [...calls],
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    faults: {
      add(fault) {
        const times = fault.times ?? 1;
        if (!(times >= 1)) throw new RangeError(`fault times must be at least 1, got ${times}`);
        if (!fault.code && !fault.delayMs) throw new RangeError('a fault needs a code, a delayMs or both');
        faults.push({ fault, left: times });
      },
      clear: () => void faults.splice(0),
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(reply.errorCode ? { 'x-amzn-errortype': reply.errorCode } : {}),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
