import type { StreamHead, StreamHeadRecord, StreamIndex } from '@hangar/core';
import type { FastEventStore } from './fast-store';

interface HeadVersion {
  readonly at: number;
  readonly record: StreamHeadRecord;
}

/**
 * The stream index as DynamoDB's GSIs serve it: eventually consistent. Every head written is
 * kept with the time it was written; a query sees, per stream, the newest head written at
 * least `lagMs()` ago. With a lag of 0 it answers exactly as the store does.
 *
 * Switch point: when the event store's own index-lag wrapper lands in core's testing twins,
 * construct that instead in `store.ts` and drop this class.
 */
export class LaggingIndex implements StreamIndex {
  private readonly history = new Map<string, HeadVersion[]>();

  constructor(
    private readonly store: FastEventStore,
    private readonly now: () => number,
    private readonly lagMs: () => number,
  ) {}

  /** Called after each successful append with a head. */
  remember(streamId: string, head: StreamHead, version: number): void {
    const versions = this.history.get(streamId) ?? [];
    versions.push({ at: this.now(), record: { ...head, streamId, version } });
    this.history.set(streamId, versions);
  }

  private heads(): StreamHeadRecord[] {
    const cutoff = this.now() - this.lagMs();
    const heads: StreamHeadRecord[] = [];
    for (const versions of this.history.values()) {
      for (let i = versions.length - 1; i >= 0; i -= 1) {
        const version = versions[i] as HeadVersion;
        if (version.at <= cutoff) {
          heads.push(version.record);
          break;
        }
      }
    }
    return heads;
  }

  async listOpen(streamType: StreamHead['streamType'], group?: string): Promise<readonly StreamHeadRecord[]> {
    if (this.lagMs() === 0) return this.store.listOpen(streamType, group);
    return this.heads().filter(
      (h) => h.streamType === streamType && h.open && (group === undefined || h.group === group),
    );
  }

  async findByLookupKey(streamType: StreamHead['streamType'], key: string): Promise<StreamHeadRecord | null> {
    if (this.lagMs() === 0) return this.store.findByLookupKey(streamType, key);
    const heads = this.heads().filter((h) => h.streamType === streamType);
    return heads.find((h) => h.lookupKey === key) ?? heads.find((h) => h.alternateKey === key) ?? null;
  }

  /** A consistent read by key (BatchGetItem on the table, not the index): never lags. */
  async readHeads(streamIds: readonly string[]): Promise<readonly StreamHeadRecord[]> {
    return this.store.readHeads(streamIds);
  }
}
