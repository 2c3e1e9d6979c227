/** What the wait scenarios share: the pool, a capacity error, a launched runner, its facts. */
import type { ScalerSettings } from '../config/pool-config';
import type { ScalerOptions } from '../application/deps';
import { execute } from '../application/execute';
import { recordInstanceEvent } from '../application/record-instance-event';
import { runnerIdForJob, runnerNameFor } from '../application/scale-up';
import type { WaitReasonCode } from '../read/wait-reason-types';
import { runnerStreamId } from '../runner/runner.decider';
import { JobId, type RunnerId } from '../shared/brand';
import { poolConfig, scalerSettings, type ScalerFixture } from './scaler-fixture';
import { queueJob, serveQueued } from './scaler-steps';

export interface WaitScenario {
  readonly code: WaitReasonCode;
  readonly title: string;
  readonly settings: ScalerSettings;
  readonly options?: Partial<ScalerOptions>;
  /** Drives the use cases; returns the job whose reason is `code`. */
  run(fx: ScalerFixture): Promise<JobId>;
}

export const linux = (overrides: Parameters<typeof poolConfig>[0] = {}) =>
  poolConfig({ id: 'linux', ...overrides });
export const settings = (
  overrides: Parameters<typeof poolConfig>[0] = {},
  more: Partial<ScalerSettings> = {},
) => scalerSettings([linux(overrides)], more);

export const capacityError = {
  outcome: 'failed',
  reason: 'insufficient-capacity',
  retryable: true,
  errorCodes: ['InsufficientInstanceCapacity'],
  detail: 'We currently do not have sufficient m7i.large capacity in the Availability Zone you requested',
  placements: [
    { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm7i.large', subnetId: 'subnet-0a1b2c3d' },
    { errorCode: 'InsufficientInstanceCapacity', instanceType: 'm6i.large', subnetId: 'subnet-0a1b2c3d' },
  ],
} as const;

export async function launched(
  fx: ScalerFixture,
  jobId: number,
): Promise<{ job: JobId; runnerId: RunnerId; name: string }> {
  const job = await queueJob(fx, jobId);
  await serveQueued(fx);
  const runnerId = runnerIdForJob(job, 1);
  return { job, runnerId, name: runnerNameFor(linux(), runnerId) };
}

export async function runnerFact(
  fx: ScalerFixture,
  runnerId: RunnerId,
  command: Parameters<typeof execute>[3],
) {
  await execute(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId), command as never, 'scenario');
}

/** EventBridge's event about the scenario's one machine, now. */
export async function machineEvent(
  fx: ScalerFixture,
  event:
    { readonly kind: 'spot-interruption' } | { readonly kind: 'state-change'; readonly state: 'terminated' },
): Promise<void> {
  const [instance] = [...fx.ec2.machines.values()];
  if (!instance) throw new Error('no machine');
  await recordInstanceEvent(
    fx.deps,
    { ...event, instanceId: instance.view.instanceId, at: fx.clock.now() },
    'scenario',
  );
}
