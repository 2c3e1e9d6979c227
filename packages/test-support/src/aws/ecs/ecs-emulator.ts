import { createCallLog } from '../shared/calls';
import { createFaultQueue } from '../shared/faults';
import { startLoopbackServer, type EmulatorReply } from '../shared/http';
import { runTask } from './run-task';
import { describeTasks, listTasks, stopTask } from './tasks-api';
import type { EcsEmulatorHandle, EcsEmulatorOptions, EcsParams, FargateProvider } from './types';
import { EcsApiError, EcsWorld, FARGATE_CAPACITY_REASON } from './world';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const JSON_TYPE = 'application/x-amz-json-1.1';

/**
 * A stateful loopback emulator of the ECS JSON 1.1 API subset Hangar uses for Fargate
 * (RunTask, StopTask, DescribeTasks, ListTasks). Point a real `ECSClient` at `endpoint`.
 */
export async function startEcsEmulator(options: EcsEmulatorOptions = {}): Promise<EcsEmulatorHandle> {
  const world = new EcsWorld(options.clock ?? (() => new Date()));
  for (const name of options.clusters ?? ['default']) world.clusters.add(name);
  const advanceOnDescribe = options.advanceOnDescribe ?? true;
  const calls = createCallLog<EcsParams>();
  const faults = createFaultQueue();

  const actions: Record<string, (params: EcsParams) => unknown> = {
    RunTask: (p) => runTask(world, p),
    StopTask: (p) => stopTask(world, p),
    DescribeTasks: (p) => describeTasks(world, p, advanceOnDescribe),
    ListTasks: (p) => listTasks(world, p),
  };

  const server = await startLoopbackServer(({ headers, body }): EmulatorReply => {
    const target = String(headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const error = (code: string, message: string, status: number): EmulatorReply => ({
      status,
      contentType: JSON_TYPE,
      body: JSON.stringify({ __type: code, message }),
    });
    let params: EcsParams;
    try {
      const parsed: unknown = body === '' ? {} : JSON.parse(body);
      params = typeof parsed === 'object' && parsed !== null ? (parsed as EcsParams) : {};
    } catch {
      return error('SerializationException', 'Request body is not valid JSON', 400);
    }
    calls.record(action, params);
    const fault = faults.take(action);
    if (fault && !fault.afterEffect) return error(fault.code, fault.message, fault.httpStatus);
    const run = actions[action];
    if (!run) return error('UnknownOperationException', `Unknown operation ${target}`, 400);
    try {
      const body = JSON.stringify(run(params));
      // The effect happened; the caller hears only the error.
      if (fault) return error(fault.code, fault.message, fault.httpStatus);
      return { status: 200, contentType: JSON_TYPE, body };
    } catch (caught) {
      if (caught instanceof EcsApiError) return error(caught.code, caught.message, caught.httpStatus);
      throw caught;
    }
  });

  return {
    endpoint: server.endpoint,
    close: () => server.close(),
    calls: () => calls.all(),
    resetCalls: () => calls.reset(),
    faults: { add: (f) => faults.add(f), clear: () => faults.clear() },
    internalErrors: server.internalErrors,
    createCluster(name) {
      world.clusters.add(name);
      return world.clusterArn(name);
    },
    registerTaskDefinition: (family, opts) => world.register(family, opts?.containers ?? ['runner']),
    setCapacity(available, opts) {
      const providers: FargateProvider[] = opts?.provider ? [opts.provider] : ['FARGATE', 'FARGATE_SPOT'];
      for (const p of providers) world.setCapacity(p, available, opts?.reason ?? FARGATE_CAPACITY_REASON);
    },
    tasks: () => [...world.tasks.values()],
    setTaskStatus(taskArn, status, opts) {
      const stopping = status === 'DEPROVISIONING' || status === 'STOPPED';
      world.update(
        taskArn,
        {
          lastStatus: status,
          ...(stopping
            ? {
                desiredStatus: 'STOPPED' as const,
                stoppedReason: opts?.stoppedReason ?? 'Stopped by the emulator',
                stopCode: opts?.stopCode ?? 'EssentialContainerExited',
              }
            : {}),
        },
        opts?.stopCode === 'SpotInterruption' ? 'spot-interruption' : 'manual',
      );
    },
    advance: () => world.advance(),
    onStateChange: (listener) => world.onStateChange(listener),
  };
}
