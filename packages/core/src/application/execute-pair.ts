import type { EventMetadata } from '../ports/event-store';
import { fold } from '../shared/decider';
import { VersionConflictError } from '../shared/errors';
import type { ScalerDeps } from './deps';
import {
  appendOptionsFor,
  decideAll,
  type KnownStream,
  type SequenceResult,
  type StreamDefinition,
} from './handle-command';

/** One stream's part of a decision that spans two streams. */
export interface PairPart<C, E extends { type: string; data: unknown }, S, R> {
  readonly definition: StreamDefinition<C, E, S, R>;
  readonly streamId: string;
  readonly commands: readonly C[];
  /** The stream as this invocation holds it: the decision is made on it, unread. */
  readonly known: KnownStream<S>;
}

export type PairOutcome<EA, SA, RA, EB, SB, RB> =
  | {
      readonly kind: 'written';
      readonly a: SequenceResult<EA, SA, RA>;
      readonly b: SequenceResult<EB, SB, RB>;
    }
  /** Nothing written: the caller decides stream by stream (`stale`: the stream that conflicted). */
  | { readonly kind: 'apart'; readonly stale?: string };

type StoreDeps = Pick<ScalerDeps, 'eventStore' | 'clock' | 'recent'>;

/**
 * Two streams' commands decided on the states the caller holds and appended in ONE atomic
 * write (`EventStore.appendAll`), each at its expected version: both are recorded or neither.
 * Only the plain case is taken here — both accept and record something. Anything else (a
 * rejection, a no-op, a store without `appendAll`, a version conflict) writes nothing and
 * returns `apart`: the caller then runs its one-stream-at-a-time path, which reads, retries
 * and decides rejections on fresh reads as it always did. So a conflict costs one failed
 * transaction and the reads the old path makes, never a decision on a stale state.
 */
export async function executePair<
  CA,
  EA extends { type: string; data: unknown },
  SA,
  RA,
  CB,
  EB extends { type: string; data: unknown },
  SB,
  RB,
>(
  deps: StoreDeps,
  a: PairPart<CA, EA, SA, RA>,
  b: PairPart<CB, EB, SB, RB>,
  correlationId: string,
): Promise<PairOutcome<EA, SA, RA, EB, SB, RB>> {
  const store = deps.eventStore;
  if (!store.appendAll) return { kind: 'apart' };
  const first = decideAll(a.definition.decider, a.commands, a.known.state);
  const second = decideAll(b.definition.decider, b.commands, b.known.state);
  const plain = (d: { events: readonly unknown[]; rejection?: unknown }) =>
    d.rejection === undefined && d.events.length > 0;
  if (!plain(first) || !plain(second)) return { kind: 'apart' };
  const metadata: EventMetadata = { recordedAt: deps.clock.now(), correlationId };
  const nextA = fold(a.definition.decider, first.events, a.known.state);
  const nextB = fold(b.definition.decider, second.events, b.known.state);
  try {
    const [va, vb] = await store.appendAll([
      {
        streamId: a.streamId,
        expectedVersion: a.known.version,
        events: first.events,
        options: appendOptionsFor(a.definition, a.streamId, nextA, metadata),
      },
      {
        streamId: b.streamId,
        expectedVersion: b.known.version,
        events: second.events,
        options: appendOptionsFor(b.definition, b.streamId, nextB, metadata),
      },
    ]);
    const resultA = { outcome: 'accepted' as const, events: first.events, steps: first.steps, state: nextA };
    const resultB = {
      outcome: 'accepted' as const,
      events: second.events,
      steps: second.steps,
      state: nextB,
    };
    const written = {
      kind: 'written' as const,
      a: { ...resultA, version: va?.version ?? a.known.version + first.events.length, conflicts: 0 },
      b: { ...resultB, version: vb?.version ?? b.known.version + second.events.length, conflicts: 0 },
    };
    deps.recent?.remember(a.streamId, written.a);
    deps.recent?.remember(b.streamId, written.b);
    return written;
  } catch (error) {
    // Decided on states the caller held, as `known` in handleCommands: a stale one is not
    // contention (not counted), and the caller's path reads and decides again.
    if (!(error instanceof VersionConflictError)) throw error;
    return { kind: 'apart', stale: error.streamId };
  }
}
