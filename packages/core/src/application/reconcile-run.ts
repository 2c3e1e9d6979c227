import type { JobView, RunnerView } from '../scaling/views';
import type { IsoTime, RunnerId } from '../shared/brand';
import type { ReconcileDeps } from './deps';
import type { StreamHeadRecord } from '../ports/event-store';
import { jobViewsOf, openRunners } from './heads';

/** The reconciler's steps, by the name their failures are logged and counted under. */
export type ReconcileStep =
  | 'redeliver-webhooks'
  | 'requeue-jobs'
  | 'rerun-interrupted-jobs'
  | 'terminate-orphan-machines'
  | 'finish-terminations'
  | 'delete-stale-secrets'
  | 'release-slots'
  | 'publish-waiting-metrics';

/** What the steps did; each step adds to its own counts, so a failed step keeps what it did. */
export interface ReconcileCounts {
  jobsWaiting: number;
  jobsRequeued: number;
  rerunsRequested: number;
  deliveriesRedelivered: number;
  instancesTerminated: number;
  secretsDeleted: number;
  slotsReleased: number;
}

/** One reconciler run, shared by its steps. */
export interface ReconcileRun {
  readonly now: IsoTime;
  readonly correlationId: string;
  /** Live runners from the stream index, listed once on first use (a failed listing fails each step that needs it). */
  readonly runners: () => Promise<ReadonlyMap<RunnerId, RunnerView>>;
  /** Open jobs from the stream index, listed once on first use. */
  readonly jobs: () => Promise<readonly JobView[]>;
  /** The same listing's heads (with their versions, for reads of the jobs as listed). */
  readonly jobHeads: () => Promise<readonly StreamHeadRecord[]>;
  readonly counts: ReconcileCounts;
}

const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
};

export function newReconcileRun(deps: ReconcileDeps, correlationId: string): ReconcileRun {
  const jobHeads = once(() => deps.index.listOpen('job'));
  return {
    now: deps.clock.now(),
    correlationId,
    runners: once(async () => new Map((await openRunners(deps)).map((runner) => [runner.runnerId, runner]))),
    jobs: once(async () => jobViewsOf(await jobHeads())),
    jobHeads,
    counts: {
      jobsWaiting: 0,
      jobsRequeued: 0,
      rerunsRequested: 0,
      deliveriesRedelivered: 0,
      instancesTerminated: 0,
      secretsDeleted: 0,
      slotsReleased: 0,
    },
  };
}

/**
 * Runs every step in order whatever the others do. A failure is logged with the step's name,
 * counted as `ReconcileStepFailed` with the step (the metrics adapter also publishes every
 * dimensioned metric under the service alone, which the alarm watches), and the next step
 * runs; the failed steps are returned for the report.
 */
export async function runIsolated(
  deps: ReconcileDeps,
  run: ReconcileRun,
  steps: readonly (readonly [ReconcileStep, (deps: ReconcileDeps, run: ReconcileRun) => Promise<void>])[],
): Promise<ReconcileStep[]> {
  const failed: ReconcileStep[] = [];
  for (const [step, perform] of steps) {
    try {
      await perform(deps, run);
    } catch (error) {
      failed.push(step);
      deps.logger.error('Reconciler step failed; the other steps still run', {
        step,
        error: error instanceof Error ? error.message : String(error),
      });
      deps.metrics.add('ReconcileStepFailed', 1, 'Count', { step });
    }
  }
  return failed;
}
