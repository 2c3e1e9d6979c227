import { describe, expect, it } from '@jest/globals';
import { RecordingLogger, RecordingMetrics } from '@hangar/core/testing';
import type { SQSRecord } from 'aws-lambda';
import { processBatch, RECORD_CONCURRENCY } from './sqs-batch';
import { sqsEvent } from './spec-roots';

const withGroups = (groups: Record<string, string>) => {
  const event = sqsEvent(...Object.keys(groups).map((id) => ({ id, body: id })));
  return {
    Records: event.Records.map((record) => ({
      ...record,
      attributes: { ...record.attributes, MessageGroupId: groups[record.messageId] },
    })) as SQSRecord[],
  };
};

const options = (
  process: (record: SQSRecord) => Promise<{ retry: false } | { retry: true; reason: string }>,
) => ({
  queue: 'spec',
  logger: new RecordingLogger(),
  metrics: new RecordingMetrics(),
  process,
});

describe('processBatch', () => {
  it('handles a FIFO group in order and lists the rest of the group after its first failure', async () => {
    const seen: string[] = [];
    const result = await processBatch(
      withGroups({ a1: 'a', b1: 'b', a2: 'a', a3: 'a', b2: 'b' }),
      options(async (record) => {
        seen.push(record.messageId);
        return record.messageId === 'a2' ? { retry: true, reason: 'spec' } : { retry: false };
      }),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a2' }, { itemIdentifier: 'a3' }]);
    expect(seen.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(seen.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it(`runs at most ${RECORD_CONCURRENCY} records of a standard queue at once and lists a thrown one`, async () => {
    let running = 0;
    let peak = 0;
    const ids = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: '' }));
    const result = await processBatch(
      sqsEvent(...ids),
      options(async (record) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        if (record.messageId === 'm7') throw new Error('bug');
        return { retry: false };
      }),
    );
    expect(peak).toBe(RECORD_CONCURRENCY);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm7' }]);
  });
});
