import { DependencyError, type LaunchResult } from '@hangar/core';
import type { FaultFamily, FaultPlan } from './faults';
import type { Rng } from './rng';
import type { Trace } from './trace';

/** A call made after its invocation was killed: it never leaves the (dead) Lambda. */
export class InvocationKilled extends Error {
  override readonly name = 'InvocationKilled';
  readonly retryable = false;
}

/**
 * One Lambda invocation in the simulated world. Every outbound call goes through `call`,
 * which interleaves concurrent invocations (a random number of microtask turns before each
 * call), injects the faults of the plan, and kills the invocation right after its Nth call
 * when the crash fault picked it: that call takes effect, nothing after it does.
 */
export class Invocation {
  dead = false;
  calls = 0;
  /** Faults this invocation met (a failure with none is unexplained). */
  readonly faults: string[] = [];

  constructor(
    readonly id: string,
    private readonly plan: FaultPlan,
    private readonly rng: Rng,
    private readonly trace: Trace,
    private readonly killAfterCalls: number | undefined,
  ) {}

  /** Microtask turns, so concurrent invocations interleave differently per seed. */
  async yieldTurns(): Promise<void> {
    for (let turns = this.rng.int(0, 3); turns > 0; turns -= 1) await Promise.resolve();
  }

  private fault(family: FaultFamily, label: string): void {
    this.faults.push(`${family} on ${label}`);
    this.trace.add(`${this.id}: ${family} on ${label}`);
  }

  /**
   * Makes one outbound call. `errors` names the family whose failures it may meet before
   * taking effect; `loses` whether its answer may be lost after it took effect; `failed` turns
   * a failure into a value for ports that return failures (a launch) instead of throwing.
   */
  async call<T>(
    label: string,
    effect: () => Promise<T>,
    options: {
      readonly errors?: 'aws-errors' | 'github-errors';
      readonly loses?: boolean;
      readonly failed?: (reason: 'throttled' | 'lost') => T;
    } = {},
  ): Promise<T> {
    await this.yieldTurns();
    if (this.dead) throw new InvocationKilled(`${this.id} is dead; ${label} not made`);
    this.calls += 1;
    if (options.errors && this.plan.strike(options.errors)) {
      this.fault(options.errors, label);
      if (options.failed) return options.failed('throttled');
      const github = options.errors === 'github-errors';
      throw new DependencyError(
        github ? 'github' : 'aws',
        label,
        github ? 'HTTP 502 Bad Gateway' : 'ThrottlingException: Rate exceeded',
        true,
      );
    }
    const result = await effect();
    if (this.killAfterCalls !== undefined && this.calls >= this.killAfterCalls) {
      this.dead = true;
      this.fault('crash', `${label} (call #${this.calls}, took effect)`);
      throw new InvocationKilled(`${this.id} killed after ${label}`);
    }
    if (options.loses && this.plan.strike('lost-answer')) {
      this.fault('lost-answer', label);
      if (options.failed) return options.failed('lost');
      throw new DependencyError('aws', label, 'socket hang up (the request may have been applied)', true);
    }
    return result;
  }
}

/**
 * The launch result the compute adapters return for a throttled or unanswered CreateFleet/RunTask:
 * `unknown` (adapter-aws's launchCallFailure), since an earlier call with the same key may have
 * been accepted with its answer lost.
 */
export function failedLaunch(reason: 'throttled' | 'lost'): LaunchResult {
  return reason === 'throttled'
    ? {
        outcome: 'unknown',
        reason: 'throttled',
        errorCodes: ['RequestLimitExceeded'],
        detail: 'CreateFleet failed: RequestLimitExceeded: Request limit exceeded.',
      }
    : {
        outcome: 'unknown',
        reason: 'dependency-unavailable',
        errorCodes: ['TimeoutError'],
        detail: 'CreateFleet failed: TimeoutError: socket timed out (the request may have been applied)',
      };
}
