import type { EventMetadata } from '../ports/event-store';
import {
  handleCommand,
  loadStream,
  DEFAULT_MAX_CONFLICT_RETRIES,
  type HandleResult,
  type LoadedStream,
  type StreamDefinition,
} from './handle-command';
import type { ScalerDeps } from './deps';

type StoreDeps = Pick<ScalerDeps, 'eventStore' | 'snapshots' | 'clock' | 'metrics' | 'backoff'>;

/**
 * Runs one command through `handleCommand`, stamping metadata and counting version conflicts.
 * `known`: the stream as the caller last read or wrote it (saves the read; see handleCommand).
 */
export async function execute<C, E extends { type: string; data: unknown }, S, R>(
  deps: StoreDeps,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
  command: C,
  correlationId: string,
  known?: LoadedStream<S>,
): Promise<HandleResult<E, S, R>> {
  const metadata: EventMetadata = { recordedAt: deps.clock.now(), correlationId };
  const result = await handleCommand(
    { eventStore: deps.eventStore, snapshots: deps.snapshots, backoff: deps.backoff },
    definition,
    streamId,
    command,
    metadata,
    DEFAULT_MAX_CONFLICT_RETRIES,
    known,
  );
  if (result.conflicts > 0) deps.metrics.add('VersionConflicts', result.conflicts, 'Count');
  return result;
}

/** Reads a stream's current state. */
export async function read<C, E extends { type: string; data: unknown }, S, R>(
  deps: Pick<ScalerDeps, 'eventStore' | 'snapshots'>,
  definition: StreamDefinition<C, E, S, R>,
  streamId: string,
): Promise<{ readonly state: S; readonly version: number }> {
  return loadStream(deps, definition, streamId);
}

/** Did the command record anything new (false for a rejection or a repeated fact)? */
export function changed(result: HandleResult<unknown, unknown, unknown>): boolean {
  return result.outcome === 'accepted' && result.events.length > 0;
}
