import type { EventMetadata } from '../ports/event-store';
import {
  DEFAULT_MAX_CONFLICT_RETRIES,
  handleCommands,
  loadStream,
  type HandleResult,
  type KnownStream,
  type SequenceResult,
  type StreamDefinition,
} from './handle-command';
import type { ScalerDeps } from './deps';
import { ConcurrencyExhaustedError } from '../shared/errors';

type StoreDeps = Pick<ScalerDeps, 'eventStore' | 'snapshots' | 'clock' | 'metrics' | 'backoff' | 'recent'>;

/**
 * Runs one command through `handleCommand`, stamping metadata and counting version conflicts.
 * `known`: the stream as this invocation last read or wrote it; the first decision skips the read.
 */
export async function execute<C, E extends { type: string; data: unknown }, S, R>(
  deps: StoreDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  command: C,
  correlationId: string,
  known?: KnownStream<S>,
): Promise<HandleResult<E, S, R>> {
  const { steps: _steps, ...result } = await executeAll(
    deps,
    definition,
    streamId,
    [command],
    correlationId,
    known,
  );
  return result;
}

/**
 * Runs commands that always follow one another as one decision and one append
 * (`handleCommands`): one write instead of one per command.
 */
export async function executeAll<C, E extends { type: string; data: unknown }, S, R>(
  deps: StoreDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  commands: readonly C[],
  correlationId: string,
  known?: KnownStream<S>,
): Promise<SequenceResult<E, S, R>> {
  const metadata: EventMetadata = { recordedAt: deps.clock.now(), correlationId };
  let result: SequenceResult<E, S, R>;
  try {
    result = await handleCommands(
      { eventStore: deps.eventStore, snapshots: deps.snapshots, backoff: deps.backoff },
      definition,
      streamId,
      commands,
      metadata,
      DEFAULT_MAX_CONFLICT_RETRIES,
      known,
    );
  } catch (error) {
    if (error instanceof ConcurrencyExhaustedError) deps.metrics.add('ConcurrencyExhausted', 1, 'Count');
    throw error;
  }
  if (result.conflicts > 0) deps.metrics.add('VersionConflicts', result.conflicts, 'Count');
  deps.recent?.remember(streamId, result);
  return result;
}

/** Reads a stream's current state. */
export async function read<C, E extends { type: string; data: unknown }, S, R>(
  deps: Pick<ScalerDeps, 'eventStore' | 'snapshots' | 'recent'>,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
): Promise<{ readonly state: S; readonly version: number }> {
  const loaded = await loadStream(deps, definition, streamId);
  deps.recent?.remember(streamId, loaded);
  return loaded;
}

/** Did the command record anything new (false for a rejection or a repeated fact)? */
export function changed(result: HandleResult<unknown, unknown, unknown>): boolean {
  return result.outcome === 'accepted' && result.events.length > 0;
}
