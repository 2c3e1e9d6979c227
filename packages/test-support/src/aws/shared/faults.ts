/** An error the emulator answers instead of running the action. */
export interface FaultSpec {
  /** API action name, e.g. `CreateFleet` or `RunTask`; `*` matches every action. */
  readonly action: string;
  /** AWS error code, e.g. `RequestLimitExceeded`, `ThrottlingException`, `InternalError`. */
  readonly code: string;
  readonly message: string;
  /** Default 400; use 500/503 for server-side faults (the SDK retries those). */
  readonly httpStatus?: number;
  /** How many matching calls fail (default 1). */
  readonly times?: number;
  /**
   * The action runs — its effect happens — and only then is the client answered with this
   * error: a call the service accepted whose answer was lost.
   */
  readonly afterEffect?: boolean;
}

/**
 * "Accepted, answer lost, then throttled": the next `action` call takes effect but is answered
 * with a 500 (the SDK retries it), and the `throttled` calls after it are refused with
 * `throttleCode`. What a launch looks like when the cloud accepted it and every retry that
 * could have told us so was throttled.
 */
export function acceptedThenThrottled(action: string, throttleCode: string, throttled: number): FaultSpec[] {
  return [
    {
      action,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
      httpStatus: 500,
      afterEffect: true,
    },
    { action, code: throttleCode, message: 'Rate exceeded', times: throttled },
  ];
}

/** The fault registry each emulator exposes on its handle. */
export interface Faults {
  add(fault: FaultSpec): void;
  clear(): void;
}

/** Faults plus the emulator-side lookup that consumes them. */
export interface FaultQueue extends Faults {
  /** The first pending fault for `action`, counted down by one; undefined when none. */
  take(
    action: string,
  ): { code: string; message: string; httpStatus: number; afterEffect: boolean } | undefined;
}

export function createFaultQueue(): FaultQueue {
  const pending: { spec: FaultSpec; left: number }[] = [];
  return {
    add(spec) {
      const times = spec.times ?? 1;
      if (!Number.isInteger(times) || times < 1)
        throw new RangeError(`fault times must be >= 1, got ${times}`);
      pending.push({ spec, left: times });
    },
    clear() {
      pending.length = 0;
    },
    take(action) {
      const index = pending.findIndex((p) => p.spec.action === action || p.spec.action === '*');
      const entry = pending[index];
      if (!entry) return undefined;
      entry.left -= 1;
      if (entry.left === 0) pending.splice(index, 1);
      return {
        code: entry.spec.code,
        message: entry.spec.message,
        httpStatus: entry.spec.httpStatus ?? 400,
        afterEffect: entry.spec.afterEffect ?? false,
      };
    },
  };
}
