/** One API call the emulator received (faulted calls included). */
export interface RecordedCall<P> {
  readonly action: string;
  readonly params: P;
}

/** Append-only call log behind `calls()` / `resetCalls()`. */
export function createCallLog<P>() {
  const log: RecordedCall<P>[] = [];
  return {
    record(action: string, params: P): void {
      log.push({ action, params });
    },
    all(): RecordedCall<P>[] {
      return [...log];
    },
    reset(): void {
      log.length = 0;
    },
  };
}

/** Listener registry for the emulators' state-change observers. */
export function createObservers<E>() {
  const listeners = new Set<(event: E) => void>();
  return {
    /** Registers `listener`; returns a function that removes it. */
    subscribe(listener: (event: E) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: E): void {
      for (const listener of listeners) listener(event);
    },
  };
}
