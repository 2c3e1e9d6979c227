import { AsyncLocalStorage } from 'node:async_hooks';

/** An invocation ran past its timeout: Lambda stopped it (SQS/EventBridge will retry). */
export class InvocationTimeout extends Error {
  override readonly name: string = 'InvocationTimeout';
  constructor(handler: string, timeoutMs: number) {
    super(
      `${handler} invocation did not finish within ${timeoutMs} ms; treated as a killed Lambda (retried by SQS)`,
    );
  }
}

/** A fault schedule killed the invocation right after one of its outbound calls. */
export class InvocationKilled extends InvocationTimeout {
  override readonly name = 'InvocationKilled';
  constructor(handler: string, calls: number) {
    super(handler, 0);
    this.message = `${handler} invocation was killed after its outbound call #${calls} (a crash between two steps)`;
  }
}

/** What a stopped invocation's later calls get: the call never leaves the process. */
export class InvocationStopped extends Error {
  override readonly name = 'InvocationStopped';
  readonly retryable = false;
  constructor(handler: string, target: string) {
    super(`${handler} invocation was stopped; its call to ${target} was not made`);
  }
}

interface Invocation {
  readonly handler: string;
  /** Where the caller wants this invocation's outbound calls listed (`service.Operation`). */
  readonly log: string[] | undefined;
  calls: number;
  stopped: boolean;
  readonly killAfterCalls: number | undefined;
  stop(error: Error): void;
}

export interface GateStats {
  invocations: number;
  timedOut: number;
  killed: number;
  /** Outbound calls refused because their invocation had been stopped. */
  refused: number;
}

/**
 * Lambda's timeout for the local control plane. Each handler invocation runs in its own async
 * context; when it passes its deadline (or a fault schedule kills it) the driver gets the
 * failure at once and the invocation is frozen: every outbound call it makes afterwards —
 * checked by `check` before each AWS SDK request and each GitHub fetch — is refused, so none of
 * its later side effects reach the emulators. A call already sent may still complete, as in
 * AWS, where a request on the wire is not recalled when the function is stopped.
 */
export class InvocationGate {
  readonly stats: GateStats = { invocations: 0, timedOut: 0, killed: 0, refused: 0 };
  private readonly context = new AsyncLocalStorage<Invocation>();
  private readonly kills: { readonly handler: string; readonly afterCalls: number }[] = [];

  /**
   * Runs `work` as one invocation of `handler`; rejects with InvocationTimeout past `timeoutMs`.
   * Its outbound calls are appended to `log` when given (attribution under concurrency).
   */
  run<T>(handler: string, timeoutMs: number, work: () => Promise<T>, log?: string[]): Promise<T> {
    this.stats.invocations += 1;
    const kill = this.kills.findIndex((k) => k.handler === handler);
    const killAfterCalls = kill === -1 ? undefined : this.kills.splice(kill, 1)[0]?.afterCalls;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
      };
      const invocation: Invocation = {
        handler,
        log,
        calls: 0,
        stopped: false,
        killAfterCalls,
        stop: (error) => {
          invocation.stopped = true;
          if (error instanceof InvocationKilled) this.stats.killed += 1;
          else this.stats.timedOut += 1;
          settle(() => reject(error));
        },
      };
      const timer = setTimeout(() => invocation.stop(new InvocationTimeout(handler, timeoutMs)), timeoutMs);
      this.context.run(invocation, work).then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
      );
    });
  }

  /**
   * Before every outbound call. Outside an invocation (setup, the simulated machines) it does
   * nothing; in a stopped invocation it throws InvocationStopped.
   */
  check(target: string): void {
    const invocation = this.context.getStore();
    if (!invocation) return;
    if (invocation.stopped) {
      this.stats.refused += 1;
      throw new InvocationStopped(invocation.handler, target);
    }
    invocation.calls += 1;
    invocation.log?.push(target);
    // This call still goes out (its effect happens); the invocation dies with it in flight.
    if (invocation.killAfterCalls !== undefined && invocation.calls >= invocation.killAfterCalls)
      invocation.stop(new InvocationKilled(invocation.handler, invocation.calls));
  }

  /** The handler whose invocation is making the current call (undefined outside any). */
  currentHandler(): string | undefined {
    return this.context.getStore()?.handler;
  }

  /** The next invocation of `handler` is killed right after its `afterCalls`-th outbound call. */
  killNext(handler: string, afterCalls: number): void {
    if (!(afterCalls >= 1)) throw new RangeError(`afterCalls must be >= 1, got ${afterCalls}`);
    this.kills.push({ handler, afterCalls });
  }

  /** Kills still waiting for an invocation of their handler. */
  pendingKills(): number {
    return this.kills.length;
  }
}
