import type { Decider } from '../shared/decider';
import { fold } from '../shared/decider';
import { ConcurrencyExhaustedError, VersionConflictError } from '../shared/errors';
import type {
  AppendOptions,
  EventMetadata,
  EventStore,
  SnapshotRead,
  SnapshotStore,
  StreamHead,
} from '../ports/event-store';

/** How a stream is stored: its decider plus the optional extras the store keeps for it. */
export interface StreamDefinition<C, E extends { type: string; data: unknown }, S, R> {
  readonly decider: Decider<C, E, S, R>;
  /** The head written with every append (queryable projection), if any. */
  readonly head?: (state: S, streamId: string) => StreamHead;
  /** Save a snapshot when an append crosses a multiple of this; absent = never. */
  readonly snapshotEvery?: number;
  /** How long an ended stream is kept (ms); absent = forever. */
  readonly retentionMs?: number;
}

export interface HandleDeps {
  readonly eventStore: EventStore;
  readonly snapshots?: SnapshotStore;
  /** Called between conflict retries with the attempt number (1-based); may wait. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

export type HandleResult<E, S, R> =
  | {
      readonly outcome: 'accepted';
      readonly events: readonly E[];
      readonly state: S;
      readonly version: number;
      readonly conflicts: number;
    }
  | {
      readonly outcome: 'rejected';
      readonly rejection: R;
      readonly state: S;
      readonly version: number;
      readonly conflicts: number;
    };

export const DEFAULT_MAX_CONFLICT_RETRIES = 8;

/**
 * A stream's state at a version this invocation already holds (it read or appended it). The
 * first decision is made on it without a read: the append is conditional on that version, so
 * if anyone wrote since, the append conflicts and the stream is read as usual. Sound for any
 * (state, version) pair that was true at some point; it only saves the read when still current.
 */
export interface KnownStream<S> {
  readonly state: S;
  readonly version: number;
}

/** Reads a stream (from its snapshot when there is one) and folds it. */
export async function loadStream<C, E extends { type: string; data: unknown }, S, R>(
  deps: Pick<HandleDeps, 'eventStore' | 'snapshots'>,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
): Promise<{ readonly state: S; readonly version: number }> {
  const { snapshot, slice } = await readSlice(deps, definition, streamId);
  const from = snapshot ? (snapshot.state as S) : definition.decider.initialState;
  const state = fold(definition.decider, slice.events as unknown as readonly E[], from);
  return { state, version: slice.version };
}

async function readSlice<C, E extends { type: string; data: unknown }, S, R>(
  deps: Pick<HandleDeps, 'eventStore' | 'snapshots'>,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
): Promise<SnapshotRead> {
  const { snapshotEvery } = definition;
  const snapshots = snapshotEvery ? deps.snapshots : undefined;
  if (!snapshots) return { snapshot: null, slice: await deps.eventStore.readStream(streamId) };
  if (snapshots.readFromSnapshot) return snapshots.readFromSnapshot(streamId, { snapshotEvery });
  const snapshot = await snapshots.loadSnapshot(streamId);
  const slice = await deps.eventStore.readStream(
    streamId,
    snapshot ? { afterVersion: snapshot.version } : undefined,
  );
  return { snapshot, slice };
}

/** A sequence's result, with the events each command decided (none for a rejected one and those after it). */
export type SequenceResult<E, S, R> = HandleResult<E, S, R> & { readonly steps: readonly (readonly E[])[] };

/**
 * The one write path: read → decide → append with the version read. On a version conflict
 * it re-reads and decides again (the decision may change: the last slot may be gone), up to
 * `maxRetries` times, then throws `ConcurrencyExhaustedError` (retryable). `known` skips the
 * first read when the caller holds the stream as of a version (it read or appended it): the
 * append still expects that version, so a stale `known` costs a conflict, never a wrong write.
 */
export async function handleCommand<C, E extends { type: string; data: unknown }, S, R>(
  deps: HandleDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  command: C,
  metadata: EventMetadata,
  maxRetries = DEFAULT_MAX_CONFLICT_RETRIES,
  known?: KnownStream<S>,
): Promise<HandleResult<E, S, R>> {
  const { steps: _steps, ...result } = await handleCommands(
    deps,
    definition,
    streamId,
    [command],
    metadata,
    maxRetries,
    known,
  );
  return result;
}

/**
 * `handleCommand` for commands that always follow one another with nothing in between (no call
 * outside the store): each is decided on the state the previous ones' events leave, and all
 * their events are appended in ONE write at the version read — one decision as far as
 * concurrency goes, so a conflict re-decides the whole sequence. A command that records
 * nothing ends the sequence (the rest is not decided); a rejected one ends it too, the events
 * decided before it are still appended and the rejection is returned.
 */
export async function handleCommands<C, E extends { type: string; data: unknown }, S, R>(
  deps: HandleDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  commands: readonly C[],
  metadata: EventMetadata,
  maxRetries = DEFAULT_MAX_CONFLICT_RETRIES,
  known?: KnownStream<S>,
): Promise<SequenceResult<E, S, R>> {
  let start = known;
  for (let conflicts = 0; ; conflicts += 1) {
    const { state, version } = start ?? (await loadStream(deps, definition, streamId));
    const { events, steps, rejection } = decideAll(definition.decider, commands, state);
    const fromKnown = start !== undefined;
    start = undefined;
    // Only an append checks the version: a rejection or a no-op decided on a known state that
    // may be stale is decided again on a fresh read (not a conflict: nothing was written).
    if (fromKnown && (rejection !== undefined || events.length === 0)) {
      conflicts -= 1;
      continue;
    }
    const outcome = (now: S, at: number) =>
      rejection === undefined
        ? { outcome: 'accepted' as const, events, state: now, version: at, conflicts, steps }
        : {
            outcome: 'rejected' as const,
            rejection: rejection.value,
            state: now,
            version: at,
            conflicts,
            steps,
          };
    if (events.length === 0) return outcome(state, version);
    const next = fold(definition.decider, events, state);
    try {
      const appended = await deps.eventStore.append(
        streamId,
        version,
        events,
        appendOptionsFor(definition, streamId, next, metadata),
      );
      await maybeSnapshot(deps, definition, streamId, version, appended.version, next);
      return outcome(next, appended.version);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // A known state that was no longer current is not contention: read and decide again.
      if (fromKnown) {
        conflicts -= 1;
        continue;
      }
      if (conflicts >= maxRetries)
        throw new ConcurrencyExhaustedError(streamId, conflicts + 1, { cause: error });
      await deps.backoff?.(conflicts + 1);
    }
  }
}

/** What an append of a stream of this definition carries besides its events. */
export function appendOptionsFor<C, E extends { type: string; data: unknown }, S, R>(
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  next: S,
  metadata: EventMetadata,
): AppendOptions {
  return {
    metadata,
    head: definition.head?.(next, streamId),
    expiresAt: expiry(definition, next, metadata),
    ...(definition.snapshotEvery === undefined ? { noSnapshot: true } : {}),
  };
}

export function decideAll<C, E, S, R>(
  decider: Decider<C, E, S, R>,
  commands: readonly C[],
  from: S,
): { events: E[]; steps: (readonly E[])[]; rejection?: { readonly value: R } } {
  const events: E[] = [];
  const steps: (readonly E[])[] = [];
  let state = from;
  for (const command of commands) {
    const decision = decider.decide(command, state);
    if (decision.kind === 'rejected') return { events, steps, rejection: { value: decision.rejection } };
    steps.push(decision.events);
    events.push(...decision.events);
    // A command that records nothing ends the sequence: what follows it was meant to follow a
    // change (e.g. "start the launch of the runner just requested"), which did not happen.
    if (decision.events.length === 0) break;
    state = fold(decider, decision.events, state);
  }
  return { events, steps };
}

function expiry<C, E extends { type: string; data: unknown }, S, R>(
  definition: StreamDefinition<C, E, S, R>,
  state: S,
  metadata: EventMetadata,
): string | undefined {
  if (definition.retentionMs === undefined || !definition.decider.isTerminal(state)) return undefined;
  return new Date(Date.parse(metadata.recordedAt) + definition.retentionMs).toISOString();
}

export async function maybeSnapshot<C, E extends { type: string; data: unknown }, S, R>(
  deps: HandleDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  before: number,
  after: number,
  state: S,
): Promise<void> {
  const every = definition.snapshotEvery;
  if (!every || !deps.snapshots || Math.floor(before / every) === Math.floor(after / every)) return;
  // Best effort: a lost snapshot only makes the next read longer.
  await deps.snapshots.saveSnapshot(streamId, after, state).catch(() => undefined);
}
