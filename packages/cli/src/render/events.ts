// One line per recorded event for the timelines: what happened, in the event's own terms.
const list = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value));

type Data = Readonly<Record<string, unknown>>;

const DESCRIBE: Readonly<Record<string, (data: Data) => string>> = {
  JobQueued: (d) => `queued by GitHub: ${String(d.owner)}/${String(d.repo)} [${list(d.labels)}]`,
  JobWaiting: () => 'waiting for an environment approval',
  JobStarted: (d) => `started on ${String(d.runnerName ?? 'a runner')}`,
  JobCompleted: (d) =>
    `completed: ${String(d.conclusion)}${d.runnerName ? ` on ${String(d.runnerName)}` : ''}`,
  RunnerRequestedForJob: (d) =>
    `runner ${String(d.runnerId)} requested in pool ${String(d.poolId)} (attempt ${String(d.attempt)}, ${String(d.reason)}${d.cause ? `: ${String(d.cause)}` : ''})`,
  ScaleUpRejected: (d) =>
    `scale-up said no: ${String(d.reason)}${d.alive !== undefined ? ` (${String(d.alive)} of ${String(d.max)} alive)` : ''}${d.final ? ', stopped retrying' : ''} — ${String(d.detail)}`,
  JobUnroutable: (d) => `unroutable: ${String(d.reason)}`,
  JobInterrupted: (d) => `interrupted: runner ${String(d.runnerId)} lost its spot machine`,
  JobRerunRequested: () => 're-run requested from GitHub',
  RunnerRequested: (d) => `requested (${d.ephemeral ? 'ephemeral' : 'reusable'}, ${String(d.compute)})`,
  RunnerLaunchStarted: (d) => `launch attempt ${String(d.attempt)} (${String(d.capacityType)})`,
  RunnerLaunched: (d) =>
    `machine ${String(d.instanceId)}${d.instanceType ? ` ${String(d.instanceType)}` : ''} (${String(d.capacityType)})`,
  RunnerLaunchFailed: (d) =>
    `launch attempt ${String(d.attempt)} failed: ${String(d.reason)}${Array.isArray(d.errorCodes) && d.errorCodes.length ? ` ${list(d.errorCodes)}` : ''}${d.final ? ' (final)' : ''}`,
  RunnerRegistrationIssued: (d) => `registration issued as ${String(d.runnerName)}`,
  RunnerOnline: () => 'online on GitHub',
  RunnerJobStarted: (d) => `started job ${String(d.jobId ?? '(not named)')}`,
  RunnerJobFinished: (d) => `finished job ${String(d.jobId ?? '(not named)')}`,
  RunnerInterrupted: () => 'spot interruption warning',
  RunnerTerminationRequested: (d) => `termination decided: ${String(d.reason)}`,
  RunnerDeregistered: () => 'GitHub registration removed',
  RunnerTerminated: () => 'machine terminated',
};

/** A sentence for a recorded event; unknown types (from a newer release) show their payload. */
export function describeEvent(type: string, data: Data): string {
  const describe = DESCRIBE[type];
  return describe ? describe(data) : `${type} ${JSON.stringify(data)}`;
}
