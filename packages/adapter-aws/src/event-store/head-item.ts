import type { AttributeValue, Update } from '@aws-sdk/client-dynamodb';
import type { StreamHead, StreamHeadRecord } from '@hangar/core';
import { fromAttribute, toAttribute, toAttributeMap } from './json-attribute';
import {
  HEAD_SK,
  INDEX,
  TTL_ATTRIBUTE,
  alternatePartition,
  lookupPartition,
  openPartition,
  openSortPrefix,
} from './table';

type Item = Record<string, AttributeValue>;

/**
 * The head item's update inside an append transaction. Its condition is the optimistic
 * concurrency check: the head must hold exactly `expectedVersion` (or not exist for 0), so a
 * stale version and a version ahead of the stream both fail. The sparse-GSI key attributes
 * are set while they apply and REMOVEd in the same write when they stop applying (a closed
 * head leaves the open index atomically with the event that closed it).
 */
export function headUpdate(
  tableName: string,
  streamId: string,
  expectedVersion: number,
  newVersion: number,
  head: StreamHead | undefined,
  ttl: number | undefined,
): Update {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Item = { ':version': { N: String(newVersion) } };
  const set = ['#version = :version'];
  const remove: string[] = [];
  const assign = (attribute: string, value: AttributeValue) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    set.push(`#${attribute} = :${attribute}`);
  };
  const assignOrRemove = (attribute: string, value: string | null) => {
    if (value === null) {
      names[`#${attribute}`] = attribute;
      remove.push(`#${attribute}`);
    } else assign(attribute, { S: value });
  };
  if (head) {
    assign('streamType', { S: head.streamType });
    assign('open', { BOOL: head.open });
    assign('group', toAttribute(head.group));
    assign('lookupKey', toAttribute(head.lookupKey));
    assign('alternateKey', toAttribute(head.alternateKey));
    assign('view', { M: toAttributeMap(head.view, 'view') });
    assignOrRemove(INDEX.open.partition, head.open ? openPartition(head.streamType) : null);
    assignOrRemove(INDEX.open.sort, head.open ? `${openSortPrefix(head.group)}${streamId}` : null);
    assignOrRemove(
      INDEX.lookup.partition,
      head.lookupKey && lookupPartition(head.streamType, head.lookupKey),
    );
    assignOrRemove(
      INDEX.alternate.partition,
      head.alternateKey && alternatePartition(head.streamType, head.alternateKey),
    );
  }
  if (ttl !== undefined) assign(TTL_ATTRIBUTE, { N: String(ttl) });
  if (expectedVersion === 0) names['#pk'] = 'pk';
  else values[':expected'] = { N: String(expectedVersion) };
  return {
    TableName: tableName,
    Key: { pk: { S: streamId }, sk: { S: HEAD_SK } },
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(#pk)' : '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    // The current head comes back in the cancellation reason: the conflict can say the actual version.
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** A head item as the port's record; null when the item carries no StreamHead (version only). */
export function headRecordOf(item: Item): StreamHeadRecord | null {
  const streamType = item.streamType?.S;
  if (streamType !== 'job' && streamType !== 'runner' && streamType !== 'pool') return null;
  const text = (attribute: AttributeValue | undefined) => (attribute?.S === undefined ? null : attribute.S);
  return {
    streamId: item.pk?.S ?? '',
    version: Number(item.version?.N ?? '0'),
    streamType,
    open: item.open?.BOOL === true,
    group: text(item.group),
    lookupKey: text(item.lookupKey),
    alternateKey: text(item.alternateKey),
    view: (item.view ? fromAttribute(item.view) : {}) as Record<string, unknown>,
  };
}

/** The version a head item holds (0 when there is none). */
export function versionOf(item: Item | undefined): number {
  return Number(item?.version?.N ?? '0');
}
