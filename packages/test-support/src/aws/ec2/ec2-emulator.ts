import { createCallLog } from '../shared/calls';
import { createFaultQueue } from '../shared/faults';
import { newRequestId, startLoopbackServer, type EmulatorReply } from '../shared/http';
import { createFleet } from './create-fleet';
import { createTags, describeInstances, describeLaunchTemplates, terminateInstances } from './instances-api';
import { parseQuery, type QueryObject } from './query';
import { Ec2ApiError, Ec2World } from './state';
import type { Ec2EmulatorHandle, Ec2EmulatorOptions } from './types';
import { ec2ErrorResponse, ec2Response, type XmlObject } from './xml';

const API_VERSION = '2016-11-15';

/**
 * A stateful loopback emulator of the EC2 Query API subset Hangar uses (CreateFleet instant,
 * DescribeInstances, TerminateInstances, CreateTags, DescribeLaunchTemplates). Point a real
 * `EC2Client` at `endpoint` with dummy credentials; signatures are not checked.
 */
export async function startEc2Emulator(options: Ec2EmulatorOptions = {}): Promise<Ec2EmulatorHandle> {
  const world = new Ec2World(
    options.clock ?? (() => new Date()),
    options.subnets ?? {},
    { spot: options.spotPrices ?? {}, onDemand: options.onDemandPrices ?? {} },
    options.allocationSeed ?? 'hangar',
  );
  const advanceOnDescribe = options.advanceOnDescribe ?? true;
  const calls = createCallLog<QueryObject>();
  const faults = createFaultQueue();

  const actions: Record<string, (params: QueryObject) => XmlObject> = {
    CreateFleet: (p) => createFleet(world, p),
    DescribeInstances: (p) => describeInstances(world, p, advanceOnDescribe),
    TerminateInstances: (p) => terminateInstances(world, p),
    CreateTags: (p) => createTags(world, p),
    DescribeLaunchTemplates: (p) => describeLaunchTemplates(world, p),
  };

  const server = await startLoopbackServer(({ body }): EmulatorReply => {
    const requestId = newRequestId();
    const { Action: _a, Version: _v, ...params } = parseQuery(body);
    const action = typeof _a === 'string' ? _a : '';
    calls.record(action, params);
    const error = (code: string, message: string, status: number): EmulatorReply => ({
      status,
      contentType: 'text/xml;charset=UTF-8',
      body: ec2ErrorResponse(code, message, requestId),
    });
    const fault = faults.take(action);
    if (fault && !fault.afterEffect) return error(fault.code, fault.message, fault.httpStatus);
    const run = actions[action];
    if (!run) return error('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
    if (_v !== API_VERSION)
      return error('InvalidParameterValue', `Unsupported API version: ${String(_v)}`, 400);
    try {
      const body = ec2Response(action, requestId, run(params));
      // The effect happened; the caller hears only the error.
      if (fault) return error(fault.code, fault.message, fault.httpStatus);
      return { status: 200, contentType: 'text/xml;charset=UTF-8', body };
    } catch (caught) {
      if (caught instanceof Ec2ApiError) return error(caught.code, caught.message, caught.httpStatus);
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
    addLaunchTemplate: ({ name, imageId, instanceType }) =>
      world.addTemplate(name, imageId ?? null, instanceType ?? null),
    setCapacity: (rule) => world.setCapacity(rule),
    addSubnet: (subnetId, zone) => world.addSubnet(subnetId, zone),
    setSpotPrice: (instanceType, price) => world.setPrice('spot', instanceType, price),
    setOnDemandPrice: (instanceType, price) => world.setPrice('on-demand', instanceType, price),
    interruptSpot(instanceId) {
      const instance = world.instances.get(instanceId);
      if (!instance || instance.lifecycle !== 'spot') throw new Error(`${instanceId} is not a spot instance`);
      if (instance.state === 'terminated' || instance.state === 'shutting-down') {
        throw new Error(`${instanceId} is already ${instance.state}`);
      }
      world.transition(instanceId, 'shutting-down', 'spot-interruption', 'Server.SpotInstanceTermination');
    },
    setState: (instanceId, state) => void world.transition(instanceId, state, 'manual'),
    advance: () => world.advance(),
    instances: () => [...world.instances.values()],
    onStateChange: (listener) => world.onStateChange(listener),
  };
}
