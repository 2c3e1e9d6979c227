import type { RunnerNeedReason } from '../scaling/reconcile';
import type { IsoTime, JobId, RunnerId } from '../shared/brand';
import type { JobState } from '../job/job.state';

/**
 * Work on the scale-up queue. Both kinds are safe to deliver twice: the job's attempt
 * number and the runner id make every step idempotent.
 */
export type ScaleUpMessage =
  | {
      readonly kind: 'serve-job';
      readonly jobId: JobId;
      /** Which runner request this is for the job: 1 from the webhook, more from the reconciler. */
      readonly attempt: number;
      readonly reason: 'queued' | 'reconcile' | 'interrupted';
      /** Why the reconciler asks again; recorded on the job's `RunnerRequestedForJob`. */
      readonly cause?: RunnerNeedReason;
      /** How many times max-runners made us wait already. */
      readonly deferrals?: number;
      /** Request cap for this job (the reconciler raises it for runners other jobs took). */
      readonly maxAttempts?: number;
      /** Sent by a released slot of this pool (pool-slots.ts): an unneeded wake-up is passed on. */
      readonly wokenBy?: string;
      /**
       * The release that woke the job also reserved its slot, for `runnerIdForJob(jobId, attempt)`
       * (pool.waiting.ts): scale-up serves it without reading or writing the pool, and gives the
       * slot back if the job turns out not to need it.
       */
      readonly slotHeld?: boolean;
      /**
       * The job stream as the sender (the webhook) had just written it: scale-up decides on it
       * without reading the job, and its append expects this version, so a job written since
       * is read and decided again (docs/architecture.md, "Calls per job").
       */
      readonly job?: { readonly version: number; readonly state: JobState };
    }
  | {
      /** Launch a runner already requested (pool top-up, or a launch to resume). */
      readonly kind: 'launch-runner';
      readonly runnerId: RunnerId;
    };

/** A job fact that moves a runner (busy, idle, done), on the job-events queue. */
export interface JobEventMessage {
  readonly jobId: JobId;
  readonly action: 'in_progress' | 'completed';
  readonly runnerName: string | null;
  readonly at: IsoTime;
  readonly deliveryId: string;
  /** When the job was queued, as the webhook's job stream knew it (saves reading the job). */
  readonly queuedAt?: IsoTime;
  /** A `completed` job's conclusion (absent from messages sent before it was added). */
  readonly conclusion?: string;
}

/** What EventBridge tells us about a machine. */
export type InstanceEvent =
  | {
      readonly kind: 'state-change';
      readonly instanceId: string;
      readonly state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
      readonly at: IsoTime;
    }
  | { readonly kind: 'spot-interruption'; readonly instanceId: string; readonly at: IsoTime };

const JOB_EVENT_ACTIONS = new Set(['in_progress', 'completed']);
const RUNNER_NEED_REASONS = new Set(['no-runner', 'runner-failed', 'runner-stalled', 'runner-interrupted']);

/** Parses a scale-up queue body; a malformed one is a value, so it is not retried forever. */
/** The body as a JSON object, or why it is not one. */
function parseObject(body: string): Record<string, unknown> | { readonly malformed: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { malformed: 'body is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { malformed: 'body is not an object' };
  return value as Record<string, unknown>;
}

const isMalformed = (value: object): value is { readonly malformed: string } =>
  typeof (value as { malformed?: unknown }).malformed === 'string';

export function parseScaleUpMessage(body: string): ScaleUpMessage | { readonly malformed: string } {
  const record = parseObject(body);
  if (isMalformed(record)) return record;
  const value = record;
  if (record.kind === 'serve-job') {
    if (typeof record.jobId !== 'string' || record.jobId === '') return { malformed: 'jobId missing' };
    if (!Number.isInteger(record.attempt) || (record.attempt as number) < 1)
      return { malformed: 'attempt must be a positive integer' };
    if (!['queued', 'reconcile', 'interrupted'].includes(record.reason as string))
      return { malformed: 'reason must be queued, reconcile or interrupted' };
    if (record.cause !== undefined && !RUNNER_NEED_REASONS.has(record.cause as string))
      return { malformed: `cause must be one of ${[...RUNNER_NEED_REASONS].join(', ')}` };
    if (record.slotHeld !== undefined && typeof record.slotHeld !== 'boolean')
      return { malformed: 'slotHeld must be a boolean' };
    if (record.job !== undefined && !isKnownJob(record.job))
      return { malformed: 'job must be { version, state } of a known job' };
    return value as unknown as ScaleUpMessage;
  }
  if (record.kind === 'launch-runner') {
    if (typeof record.runnerId !== 'string' || record.runnerId === '')
      return { malformed: 'runnerId missing' };
    return value as unknown as ScaleUpMessage;
  }
  return { malformed: 'kind must be serve-job or launch-runner' };
}

/** Parses a job-events queue body. */
export function parseJobEventMessage(body: string): JobEventMessage | { readonly malformed: string } {
  const record = parseObject(body);
  if (isMalformed(record)) return record;
  const value = record;
  if (typeof record.jobId !== 'string' || record.jobId === '') return { malformed: 'jobId missing' };
  if (!JOB_EVENT_ACTIONS.has(record.action as string))
    return { malformed: 'action must be in_progress or completed' };
  if (record.runnerName !== null && typeof record.runnerName !== 'string')
    return { malformed: 'runnerName must be a string or null' };
  if (typeof record.at !== 'string') return { malformed: 'at missing' };
  if (typeof record.deliveryId !== 'string') return { malformed: 'deliveryId missing' };
  if (record.queuedAt !== undefined && typeof record.queuedAt !== 'string')
    return { malformed: 'queuedAt must be a string' };
  if (record.conclusion !== undefined && typeof record.conclusion !== 'string')
    return { malformed: 'conclusion must be a string' };
  return value as unknown as JobEventMessage;
}

function isKnownJob(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { version, state } = value as { version?: unknown; state?: unknown };
  if (!Number.isInteger(version) || (version as number) < 1) return false;
  return (
    typeof state === 'object' && state !== null && typeof (state as { status?: unknown }).status === 'string'
  );
}
