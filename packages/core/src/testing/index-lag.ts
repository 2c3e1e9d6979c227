import type {
  AppendOptions,
  EventStore,
  ReadOptions,
  SnapshotStore,
  StreamHead,
  StreamHeadRecord,
  StreamIndex,
  StreamSlice,
} from '../ports/event-store';

export type LaggableStore = EventStore & SnapshotStore & StreamIndex;

export interface IndexLagOptions {
  /** How long a head change stays invisible to `listOpen` / `findByLookupKey`, in ms of `now`. */
  readonly lagMs: number;
  /** The clock the lag is measured on (a test's or the simulation's), epoch ms. */
  readonly now: () => number;
}

/** One version of a stream's head and when it was written (-Infinity: before the fault began). */
interface HeadVersion {
  readonly version: number;
  readonly at: number;
  readonly head: StreamHead;
}

/**
 * A fault that models DynamoDB's global secondary indexes: they are eventually consistent, so
 * an index read can miss a head written moments ago (a new runner, a new instance id) and
 * return a head's previous version (a runner that just ended still listed as live). Stream
 * reads stay strongly consistent, as on DynamoDB.
 *
 * Wrap any store (the in-memory twin, the DynamoDB adapter) with `wrap`; one `IndexLag` shared
 * by several wrapped stores (every Lambda of the local control plane has its own) lags them all
 * alike, as they all read the same GSIs. Every head an append writes is remembered with its time;
 * the index answers as of `now() - lagMs`. A head the wrapper never saw written (an append that
 * lost its answer, another writer) becomes visible `lagMs` after the wrapper first saw it.
 */
export class IndexLag {
  private readonly history = new Map<string, HeadVersion[]>();
  /** Index reads, and those whose answer differed from the up-to-date index's (the fault bit). */
  readonly reads = { total: 0, lagged: 0 };

  constructor(private readonly options: IndexLagOptions) {}

  wrap(store: LaggableStore): LaggableStore {
    const fromSnapshot = store.readFromSnapshot?.bind(store);
    return {
      readStream: (streamId: string, options?: ReadOptions): Promise<StreamSlice> =>
        store.readStream(streamId, options),
      append: async (streamId, expectedVersion, events, options: AppendOptions) => {
        const result = await store.append(streamId, expectedVersion, events, options);
        if (options.head && events.length > 0)
          this.remember(streamId, result.version, options.head, this.options.now());
        return result;
      },
      // Reads by key are consistent on DynamoDB: never lagged.
      readHeads: (streamIds) => store.readHeads(streamIds),
      loadSnapshot: (streamId) => store.loadSnapshot(streamId),
      ...(fromSnapshot ? { readFromSnapshot: fromSnapshot } : {}),
      saveSnapshot: (streamId, version, state) => store.saveSnapshot(streamId, version, state),
      listOpen: async (streamType, group) => {
        const real = await store.listOpen(streamType, group);
        for (const record of real) this.observe(record);
        const visible = this.visibleHeads().filter(
          (head) =>
            head.streamType === streamType && head.open && (group === undefined || head.group === group),
        );
        this.count(real, visible);
        return visible;
      },
      findByLookupKey: async (streamType, key) => {
        const found = await store.findByLookupKey(streamType, key);
        if (found) this.observe(found);
        const heads = this.visibleHeads().filter((head) => head.streamType === streamType);
        const visible =
          heads.find((head) => head.lookupKey === key) ??
          heads.find((head) => head.alternateKey === key) ??
          null;
        this.count(found ? [found] : [], visible ? [visible] : []);
        return visible;
      },
    };
  }

  /** Streams whose latest head the index does not show yet (for assertions that the fault bit). */
  lagging(): readonly string[] {
    const horizon = this.options.now() - this.options.lagMs;
    return [...this.history]
      .filter(([, versions]) => (versions.at(-1)?.at ?? -Infinity) > horizon)
      .map(([id]) => id);
  }

  private count(real: readonly StreamHeadRecord[], visible: readonly StreamHeadRecord[]): void {
    const key = (records: readonly StreamHeadRecord[]) =>
      records
        .map((record) => `${record.streamId}@${record.version}`)
        .sort()
        .join(',');
    this.reads.total += 1;
    if (key(real) !== key(visible)) this.reads.lagged += 1;
  }

  private remember(streamId: string, version: number, head: StreamHead, at: number): void {
    const versions = this.history.get(streamId) ?? [];
    if (versions.some((known) => known.version >= version)) return;
    versions.push({ version, at, head });
    this.history.set(streamId, versions);
  }

  /** A head the real index returned: a baseline if never seen, an unseen write if newer. */
  private observe(record: StreamHeadRecord): void {
    const { streamId, version, ...head } = record;
    const known = this.history.get(streamId);
    this.remember(streamId, version, head, known ? this.options.now() : -Infinity);
  }

  /** Each stream's head as of `now - lagMs` (streams with no head old enough are not indexed yet). */
  private visibleHeads(): StreamHeadRecord[] {
    const horizon = this.options.now() - this.options.lagMs;
    const visible: StreamHeadRecord[] = [];
    for (const [streamId, versions] of this.history) {
      const settled = versions.filter((entry) => entry.at <= horizon);
      const current = settled.at(-1);
      // Versions older than the one the index shows can never be shown again.
      if (settled.length > 1) versions.splice(0, settled.length - 1);
      if (current) visible.push({ ...current.head, streamId, version: current.version });
    }
    return visible;
  }
}
