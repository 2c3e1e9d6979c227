import { spawn } from 'node:child_process';
import { freePort } from '../dynamodb-local';

/** A running moto server (an AWS emulator written by others) on 127.0.0.1. */
export interface MotoServer {
  /** Pass as `endpoint` to any SDK client (S3 needs `forcePathStyle: true`). */
  readonly endpoint: string;
  /** Forgets every resource of every service (moto's `/moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether moto can be imported here, and why not when it cannot. */
export type MotoAvailability =
  { readonly available: true } | { readonly available: false; readonly reason: string };

/** Checks that `python3 -c "import moto"` works (asked when a start fails, to tell why). */
export function motoAvailability(): Promise<MotoAvailability> {
  return new Promise((resolve) => {
    const probe = spawn('python3', ['-c', 'import moto, werkzeug'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    probe.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    probe.once('error', (error) =>
      resolve({ available: false, reason: `python3 cannot run: ${error.message}` }),
    );
    probe.once('exit', (code) =>
      resolve(
        code === 0
          ? { available: true }
          : {
              available: false,
              reason: `python3 cannot import moto (${stderr.trim().split('\n').pop() ?? `exit ${code}`})`,
            },
      ),
    );
  });
}

/**
 * moto's WSGI app under werkzeug's server with `threaded=False`: one request at a time, in
 * arrival order. moto's backends are not thread-safe (concurrent DynamoDB writes interleave),
 * and a single-threaded werkzeug server also answers HTTP/1.0, closing each connection, so
 * concurrent SDK calls queue in the listen backlog instead of racing inside moto.
 */
const SERVE = [
  'import os, sys, threading',
  // Exit when our end of stdin closes (the jest process is gone), so moto never outlives it.
  'threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()',
  'from werkzeug.serving import run_simple',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'app = DomainDispatcherApplication(create_backend_app)',
  "run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=False)",
].join('\n');

async function waitUntilReady(
  endpoint: string,
  gone: () => string | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = gone();
    if (why) throw new Error(`moto did not start: ${why}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`moto did not answer at ${endpoint} within ${timeoutMs} ms`, { cause: lastError });
}

/**
 * Starts moto on a free loopback port and resolves once it answers. Every process a test
 * starts must stop: `stop()` sends SIGTERM and waits for the exit.
 */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('python3', ['-c', SERVE, String(port)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // moto's default region for resources created without one.
    env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', MOTO_PORT: String(port) },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const gone = () =>
    spawnError?.message ?? (child.exitCode !== null ? `it exited with code ${child.exitCode}` : undefined);
  try {
    await waitUntilReady(endpoint, gone, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Sets how a moto model moves through its states (moto's `/moto-api/state-manager`). moto
 * advances an ECS task one status per DescribeTasks by default, from RUNNING to STOPPED
 * without anyone stopping it; `{ progression: 'manual', times: n }` holds it for n reads.
 */
export async function setMotoTransition(
  endpoint: string,
  model: string,
  transition: { readonly progression: 'immediate' | 'manual' | 'time'; readonly times?: number },
): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: model, transition }),
  });
  if (!response.ok) throw new Error(`moto set-transition ${model} failed with HTTP ${response.status}`);
}
