import type { DescribedMachine } from '../ports/compute-provider';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf } from '../runner/runner.state';
import { InstanceId, type RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import { execute, read } from './execute';
import { launchKeyFor } from './launch-step';

/**
 * The runner a machine was launched for, when our records do not name the machine: the cloud
 * accepted the launch, but its `RunnerLaunched` was never appended (the scale-up crashed after
 * the call, the answer was lost and the key lookup missed, or the append itself failed). Until a
 * later lookup records it, nothing of ours points at the machine — yet it may boot, register and
 * take a job. A spot warning is the only notice of its interruption, so it is not dropped: the
 * machine is described by its id, and its tags name its runner and launch key. When that key is
 * one of the runner's launch attempts and the runner has no machine recorded, the machine is
 * recorded as the runner's (`RunnerLaunched`, the very fact a key lookup would record: one key
 * starts one machine), so the interruption is recorded on the runner like any other.
 *
 * A lookup failure throws (`DependencyError`, retryable): the warning is delivered again.
 */
export async function adoptMachine(
  deps: ScalerDeps,
  instanceId: string,
  correlationId: string,
): Promise<RunnerId | null> {
  const kinds = new Set(deps.settings.pools.map((pool) => pool.compute));
  for (const kind of kinds) {
    const described = await deps.compute(kind).findByInstanceId(InstanceId(instanceId));
    if (described) return recordAdopted(deps, described, correlationId);
  }
  return null;
}

async function recordAdopted(
  deps: ScalerDeps,
  machine: DescribedMachine,
  correlationId: string,
): Promise<RunnerId | null> {
  const { runnerId } = machine;
  const stream = runnerStreamId(runnerId);
  const known = await read(deps, deps.streams.runner, stream);
  const { state } = known;
  if (state.status === 'none' || state.poolId !== machine.poolId) return null;
  const recorded = machineOf(state);
  if (recorded) return recorded.instanceId === machine.instanceId ? runnerId : null;
  const keys = Array.from({ length: state.launchAttempts }, (_, i) => launchKeyFor(runnerId, i + 1));
  if (!keys.includes(machine.launchKey)) return null;
  const result = await execute(
    deps,
    deps.streams.runner,
    stream,
    {
      type: 'RecordLaunchSucceeded',
      data: {
        instanceId: machine.instanceId,
        instanceType: machine.instanceType,
        capacityType: machine.capacityType,
        at: deps.clock.now(),
      },
    },
    correlationId,
    known,
  );
  if (machineOf(result.state)?.instanceId !== machine.instanceId) return null;
  deps.logger.info('Machine recorded from its tags (its launch was never recorded)', {
    runnerId,
    instanceId: machine.instanceId,
  });
  deps.metrics.add('MachinesAdopted', 1, 'Count');
  return runnerId;
}
