import type { EventMetadata, StreamAppend } from '../ports/event-store';
import { fold } from '../shared/decider';
import { VersionConflictError } from '../shared/errors';
import type { ScalerDeps } from './deps';
import {
  appendOptionsFor,
  decideAll,
  maybeSnapshot,
  type KnownStream,
  type SequenceResult,
  type StreamDefinition,
} from './handle-command';

/** One stream's part of a decision that spans streams. */
export interface StreamPart<C, E extends { type: string; data: unknown }, S, R> {
  readonly definition: StreamDefinition<C, E, S, R>;
  readonly streamId: string;
  readonly commands: readonly C[];
  /** The stream as this invocation holds it: the decision is made on it, unread. */
  readonly known: KnownStream<S>;
}

/** A part decided: what it appends and what it returns once written. */
export interface DecidedPart<E, S, R> {
  readonly append: StreamAppend;
  readonly result: Extract<SequenceResult<E, S, R>, { readonly outcome: 'accepted' }>;
  /** After the write: the snapshot an append crossing the stream's cadence saves (handle-command.ts). */
  readonly written: (deps: StoreDeps) => Promise<void>;
}

type StoreDeps = Pick<ScalerDeps, 'eventStore' | 'snapshots' | 'clock' | 'recent'>;

/**
 * Decides one part on the state it carries. Only the plain case is kept — every command
 * accepted and something to record; a rejection or a no-op gives `undefined`, and the caller
 * decides that stream on its own path (which decides them again on a fresh read).
 */
export function decidePart<C, E extends { type: string; data: unknown }, S, R>(
  part: StreamPart<C, E, S, R>,
  metadata: EventMetadata,
): DecidedPart<E, S, R> | undefined {
  const { events, steps, rejection } = decideAll(part.definition.decider, part.commands, part.known.state);
  if (rejection !== undefined || events.length === 0) return undefined;
  const state = fold(part.definition.decider, events, part.known.state);
  const version = part.known.version + events.length;
  return {
    append: {
      streamId: part.streamId,
      expectedVersion: part.known.version,
      events,
      options: appendOptionsFor(part.definition, part.streamId, state, metadata),
    },
    result: { outcome: 'accepted', events, steps, state, version, conflicts: 0 },
    written: (deps) =>
      maybeSnapshot(deps, part.definition, part.streamId, part.known.version, version, state),
  };
}

/**
 * Appends decided parts in ONE atomic write (`EventStore.appendAll`), each at its expected
 * version: all are recorded or none. `written`, or — nothing written — `apart` when the store
 * cannot (no `appendAll`) or a stream was written since (`stale` names it): the caller then
 * runs its one-stream-at-a-time path, which reads and decides again as it always did. The
 * parts were decided on states the caller held, like `known` in handleCommands, so a stale one
 * is not contention and is not counted as a conflict.
 */
export async function writeTogether(
  deps: StoreDeps,
  parts: readonly DecidedPart<unknown, unknown, unknown>[],
): Promise<{ readonly kind: 'written' } | { readonly kind: 'apart'; readonly stale?: string }> {
  const store = deps.eventStore;
  if (!store.appendAll) return { kind: 'apart' };
  try {
    await store.appendAll(parts.map((part) => part.append));
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    return { kind: 'apart', stale: error.streamId };
  }
  for (const { append, result, written } of parts) {
    deps.recent?.remember(append.streamId, result);
    await written(deps);
  }
  return { kind: 'written' };
}

/** The metadata of a write this invocation makes now. */
export const metadataNow = (deps: Pick<ScalerDeps, 'clock'>, correlationId: string): EventMetadata => ({
  recordedAt: deps.clock.now(),
  correlationId,
});
