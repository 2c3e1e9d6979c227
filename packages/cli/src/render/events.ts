// One line per recorded event for the timelines: what happened, in the event's own terms.
import type { JobEvent, RunnerEvent } from '@hangar/core';

type Data = Readonly<Record<string, unknown>>;
type Recorded = JobEvent | RunnerEvent;

/** A sentence per event type; typed by the event unions, so a new event type must be described here. */
type Describers = { readonly [E in Recorded as E['type']]: (data: E['data']) => string };

const codes = (codes: readonly string[] | undefined): string => (codes?.length ? ` ${codes.join(', ')}` : '');

const DESCRIBE: Describers = {
  JobQueued: (d) => `queued by GitHub: ${d.owner}/${d.repo} [${d.labels.join(', ')}]`,
  JobWaiting: () => 'waiting for an environment approval',
  JobStarted: (d) => `started on ${d.runnerName ?? 'a runner'}`,
  JobCompleted: (d) => `completed: ${d.conclusion}${d.runnerName ? ` on ${d.runnerName}` : ''}`,
  RunnerRequestedForJob: (d) =>
    `runner ${d.runnerId} requested in pool ${d.poolId} (attempt ${d.attempt}, ${d.reason}${d.cause ? `: ${d.cause}` : ''})`,
  ScaleUpRejected: (d) =>
    `scale-up said no: ${d.reason}${d.alive !== undefined ? ` (${d.alive} of ${d.max} alive)` : ''}${d.final ? ', stopped retrying' : ''} — ${d.detail}`,
  JobUnroutable: (d) => `unroutable: ${d.reason}`,
  JobInterrupted: (d) => `interrupted: runner ${d.runnerId} lost its spot machine`,
  JobRerunRequested: () => 're-run requested from GitHub',
  JobRerunRefused: (d) => `GitHub refused the re-run (${d.reason}): ${d.detail}`,
  JobRerunDeferred: (d) => `GitHub cannot re-run yet (${d.reason}); asked again on each reconcile`,
  RunnerRequested: (d) => `requested (${d.ephemeral ? 'ephemeral' : 'reusable'}, ${d.compute})`,
  RunnerRequestWithdrawn: () => 'request withdrawn: its slot was reserved and never used, and given back',
  RunnerLaunchStarted: (d) => `launch attempt ${d.attempt} (${d.capacityType})`,
  RunnerLaunchResumed: (d) => `launch attempt ${d.attempt} called again with the same launch key`,
  RunnerLaunchOutcomeUnknown: (d) =>
    `launch attempt ${d.attempt}: outcome unknown (${d.reason}); looked up by its launch key next — ${d.detail}`,
  RunnerLaunched: (d) =>
    `machine ${d.instanceId}${d.instanceType ? ` ${d.instanceType}` : ''} (${d.capacityType})`,
  RunnerLaunchFailed: (d) =>
    `launch attempt ${d.attempt} failed: ${d.reason}${codes(d.errorCodes)}${d.final ? ' (final)' : ''}`,
  RunnerRegistrationStarted: (d) => `registration attempt ${d.attempt} as ${d.runnerName}`,
  RunnerRegistrationCreated: (d) => `GitHub created registration attempt ${d.attempt} (${d.runnerName})`,
  RunnerRegistrationRemoved: (d) =>
    `registration attempt ${d.attempt} deleted: its config could not be stored (registered again next delivery)`,
  RunnerRegistrationIssued: (d) =>
    `registration issued as ${d.runnerName}${d.adopted ? ' (adopted: already live at GitHub)' : ''}`,
  RunnerOnline: () => 'online on GitHub',
  RunnerJobStarted: (d) => `started job ${d.jobId ?? '(not named)'}`,
  RunnerJobFinished: (d) => `finished job ${d.jobId ?? '(not named)'}`,
  RunnerInterrupted: () => 'spot interruption warning',
  RunnerTerminationRequested: (d) => `termination decided: ${d.reason}`,
  RunnerDeregistered: () => 'GitHub registration removed',
  RunnerTerminated: () => 'machine terminated',
};

/** A sentence for a recorded event; unknown types (from a newer release) show their payload. */
export function describeEvent(type: string, data: Data): string {
  // The data was recorded by that type's decider, so it has that type's shape.
  const describe = (DESCRIBE as unknown as Readonly<Record<string, ((data: Data) => string) | undefined>>)[
    type
  ];
  return describe ? describe(data) : `${type} ${JSON.stringify(data)}`;
}
