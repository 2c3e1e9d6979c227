import type { StreamHeadRecord } from '../ports/event-store';
import type { JobView, RunnerView } from '../scaling/views';
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
