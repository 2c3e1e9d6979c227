import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DependencyError, type EventMetadata, type RecordedEvent } from '@hangar/core';
import { versionOf } from './head-item';
import { fromAttribute, fromAttributeMap } from './json-attribute';

type Item = Record<string, AttributeValue>;

export function recordedEventOf(streamId: string, item: Item): RecordedEvent {
  return {
    streamId,
    version: versionOf(item),
    type: item.type?.S ?? '',
    data: item.data ? fromAttribute(item.data) : null,
    metadata: (item.metadata?.M ? fromAttributeMap(item.metadata.M) : {}) as unknown as EventMetadata,
  };
}

/**
 * Events must follow `after` one by one. A gap means the read saw part of an append that was
 * still becoming visible, or a stream whose items are expiring; folding it would be wrong.
 */
export function assertContiguous(streamId: string, after: number, events: readonly RecordedEvent[]): void {
  events.forEach((event, i) => {
    if (event.version !== after + i + 1)
      throw new DependencyError(
        'dynamodb',
        'readStream',
        `stream ${streamId} has a gap: expected version ${after + i + 1}, read ${event.version} ` +
          '(an append still becoming visible, or an expiring stream); retry the read',
        true,
      );
  });
}
