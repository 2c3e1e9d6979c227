import type { StreamHeadRecord } from '../ports/event-store';
import type { JobView, RunnerView } from '../scaling/views';
import { runnerStreamId } from '../runner/runner.decider';
import type { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';

/** The views kept in stream heads (written by `streams.ts`), read back for policies. */
export function runnerViewOf(head: StreamHeadRecord): RunnerView {
  return head.view as unknown as RunnerView;
}

export function jobViewOf(head: StreamHeadRecord): JobView | null {
  const view = head.view as unknown as Partial<JobView>;
  return typeof view.owner === 'string' ? (view as JobView) : null;
}

export async function openRunners(
  deps: Pick<ScalerDeps, 'index'>,
  poolId?: string,
): Promise<readonly RunnerView[]> {
  const heads = await deps.index.listOpen('runner', poolId);
  return heads.map(runnerViewOf);
}

export async function openJobs(deps: Pick<ScalerDeps, 'index'>): Promise<readonly JobView[]> {
  return jobViewsOf(await deps.index.listOpen('job'));
}

/** The job views of listed heads (heads without one left out). */
export function jobViewsOf(heads: readonly StreamHeadRecord[]): readonly JobView[] {
  return heads.map(jobViewOf).filter((view): view is JobView => view !== null);
}

/**
 * Runners' current views, read consistently by key (`readHeads`: batched, however many) — as
 * their streams would fold them (a head is the projection of its stream's state, written in the
 * same transaction). A runner never requested has no head and is left out.
 */
export async function runnerViewsByKey(
  deps: Pick<ScalerDeps, 'index'>,
  runnerIds: Iterable<RunnerId>,
): Promise<Map<RunnerId, RunnerView>> {
  const ids = [...new Set(runnerIds)];
  const views = new Map<RunnerId, RunnerView>();
  if (ids.length === 0) return views;
  for (const head of await deps.index.readHeads(ids.map(runnerStreamId))) {
    const view = runnerViewOf(head);
    if (typeof view.runnerId === 'string') views.set(view.runnerId, view);
  }
  return views;
}
