import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ComputeProvider, LaunchRequest, LaunchResult } from '../ports/compute-provider';
import type { CapacityType } from '../runner/runner.events';
import { InstanceId, PoolId, RunnerId } from '../shared/brand';

/** What each run of the contract needs: a fresh provider over a fresh backend. */
export interface ComputeProviderContractSubject {
  readonly provider: ComputeProvider;
  /** A pool the provider is configured for. */
  readonly poolId: PoolId;
  close(): Promise<void>;
  /** From now on, launches in `poolId` find no capacity. */
  makeCapacityUnavailable(): void | Promise<void>;
  /** The next launch starts its machine but its answer is lost, and its retries are throttled. */
  acceptNextLaunchThenThrottle(): void | Promise<void>;
  /**
   * A provider of another Hangar deployment over the same backend (same account, region and
   * cluster). Required unless the case is marked not modelled.
   */
  readonly anotherDeployment?: ComputeProvider;
  /**
   * The cloud reclaims this spot machine (EC2 spot interruption, Fargate Spot task stopped).
   * Required unless the case is marked not modelled.
   */
  reclaimSpot?(instanceId: InstanceId): void | Promise<void>;
}

/** The contract's cases, for naming those a backend cannot model. */
export type ComputeProviderContractCase =
  | 'repeated-key'
  | 'parallel-key'
  | 'distinct-keys'
  | 'listed-with-tags'
  | 'idempotent-terminate'
  | 'find-by-launch-key'
  | 'find-by-instance-id'
  | 'lost-answer'
  | 'no-capacity'
  | 'unknown-pool'
  | 'other-deployment'
  | 'other-deployment-same-key'
  | 'other-deployment-by-id'
  | 'ended-not-reclaimed'
  | 'spot-reclaimed';

/**
 * Cases a backend cannot model (an independent emulator without ClientToken or a capacity
 * model), each with the reason. Such a case is not run against that backend; when its gap
 * can be observed, a spec confirming the gap still exists runs in its place, so the mark
 * cannot go stale. The home-made emulator carries every case.
 */
export interface ComputeProviderContractOptions {
  readonly notModelled?: Partial<Record<ComputeProviderContractCase, string>>;
}

let sequence = 0;

function launched(result: LaunchResult): InstanceId {
  if (result.outcome !== 'launched') {
    throw new Error(`expected a launch, got ${result.reason}: ${result.detail}`);
  }
  return result.instanceId;
}

/**
 * The behaviour every `ComputeProvider` promises (see ports/compute-provider.ts), as jest
 * specs. Call it from a spec file with a setup that starts the implementation against its
 * backend (in-memory twin or the AWS adapter against its loopback emulator).
 */
export function computeProviderContract(
  name: string,
  setup: () => Promise<ComputeProviderContractSubject>,
  options: ComputeProviderContractOptions = {},
): void {
  const notModelled = options.notModelled ?? {};
  /** The case, or in its place the confirmation that the backend still lacks it. */
  const contractCase = (
    id: ComputeProviderContractCase,
    title: string,
    body: () => Promise<void>,
    confirmGap?: () => Promise<void>,
  ): void => {
    const reason = notModelled[id];
    if (reason === undefined) it(title, body);
    else if (confirmGap) it(`cannot model "${title}" (${reason}): the gap is still there`, confirmGap);
    // Otherwise nothing runs: the calling spec names the case and its reason, and the
    // home-made emulator's run of the contract carries it (a skipped test would hide that).
  };
  describe(`ComputeProvider contract: ${name}`, () => {
    let subject: ComputeProviderContractSubject;
    const request = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => {
      sequence += 1;
      const runnerId = RunnerId(`contract-runner-${sequence}`);
      const capacityType: CapacityType = subject.provider.kind === 'fargate' ? 'fargate' : 'on-demand';
      return {
        runnerId,
        poolId: subject.poolId,
        idempotencyKey: `${runnerId}#1`,
        capacityType,
        secretPath: `/hangar/runners/${runnerId}`,
        owner: 'octo-org',
        ...overrides,
      };
    };
    const listedFor = async (runnerId: RunnerId) =>
      (await subject.provider.list()).filter((view) => view.runnerId === runnerId);

    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.close();
    });

    const launchedTwice = async () => {
      const req = request();
      const first = launched(await subject.provider.launch(req));
      const second = launched(await subject.provider.launch(req));
      return { req, first, second };
    };

    contractCase(
      'repeated-key',
      'returns the same machine for a repeated idempotency key and lists it once',
      async () => {
        const { req, first, second } = await launchedTwice();
        expect(second).toBe(first);
        expect((await listedFor(req.runnerId)).map((v) => v.instanceId)).toEqual([first]);
      },
      async () => {
        const { first, second } = await launchedTwice();
        expect(second).not.toBe(first);
      },
    );

    contractCase(
      'parallel-key',
      'creates exactly one machine for 20 parallel launches with the same key',
      async () => {
        const req = request();
        const results = await Promise.all(Array.from({ length: 20 }, () => subject.provider.launch(req)));
        const ids = new Set(results.map(launched));
        expect(ids.size).toBe(1);
        expect(await listedFor(req.runnerId)).toHaveLength(1);
      },
      async () => {
        const req = request();
        const results = await Promise.all([1, 2].map(() => subject.provider.launch(req)));
        expect(new Set(results.map(launched)).size).toBe(2);
      },
    );

    contractCase('distinct-keys', 'creates different machines for different idempotency keys', async () => {
      const a = launched(await subject.provider.launch(request()));
      const b = launched(await subject.provider.launch(request()));
      expect(a).not.toBe(b);
    });

    contractCase(
      'listed-with-tags',
      'lists a launched machine with the runner and pool ids from its tags',
      async () => {
        const req = request();
        const instanceId = launched(await subject.provider.launch(req));
        const [view] = await listedFor(req.runnerId);
        expect(view).toMatchObject({ instanceId, runnerId: req.runnerId, poolId: req.poolId });
        expect(['pending', 'running']).toContain(view?.state);
        expect(Number.isNaN(Date.parse(view?.launchedAt ?? ''))).toBe(false);
      },
    );

    contractCase(
      'idempotent-terminate',
      'terminates idempotently: a second terminate succeeds and the machine leaves the list',
      async () => {
        const req = request();
        const instanceId = launched(await subject.provider.launch(req));
        await subject.provider.terminate(instanceId);
        await subject.provider.terminate(instanceId);
        expect(await listedFor(req.runnerId)).toEqual([]);
      },
    );

    contractCase(
      'find-by-launch-key',
      'finds the machine a launch key started by that key, and nothing for a key never used',
      async () => {
        const req = request();
        const instanceId = launched(await subject.provider.launch(req));
        expect(await subject.provider.findByLaunchKey(req.poolId, req.idempotencyKey)).toMatchObject({
          instanceId,
          capacityType: req.capacityType,
        });
        expect(
          await subject.provider.findByLaunchKey(req.poolId, `${req.idempotencyKey}-never-used`),
        ).toBeNull();
      },
    );

    contractCase(
      'find-by-instance-id',
      'describes a machine by its id with the runner, pool and launch key it was launched with, and nothing for an id that is no machine',
      async () => {
        const req = request();
        const instanceId = launched(await subject.provider.launch(req));
        expect(await subject.provider.findByInstanceId(instanceId)).toMatchObject({
          instanceId,
          runnerId: req.runnerId,
          poolId: req.poolId,
          launchKey: req.idempotencyKey,
          capacityType: req.capacityType,
        });
        expect(await subject.provider.findByInstanceId(InstanceId('not-a-machine'))).toBeNull();
      },
    );

    contractCase(
      'ended-not-reclaimed',
      'describes a machine it terminated, while the cloud lists it, as not reclaimed by a spot interruption',
      async () => {
        const instanceId = launched(await subject.provider.launch(request()));
        await subject.provider.terminate(instanceId);
        expect(await subject.provider.findByInstanceId(instanceId)).toMatchObject({
          instanceId,
          spotReclaimed: false,
        });
      },
    );

    contractCase(
      'spot-reclaimed',
      'describes a spot machine the cloud reclaimed as reclaimed, after its end',
      async () => {
        const capacityType: CapacityType = subject.provider.kind === 'fargate' ? 'fargate' : 'spot';
        const instanceId = launched(await subject.provider.launch(request({ capacityType })));
        if (!subject.reclaimSpot) throw new Error('the subject cannot reclaim a spot machine');
        await subject.reclaimSpot(instanceId);
        const described = await subject.provider.findByInstanceId(instanceId);
        expect(described).toMatchObject({ instanceId, spotReclaimed: true });
        expect(described?.state).not.toBe('running');
      },
    );

    contractCase(
      'lost-answer',
      'answers a launch accepted whose answer was lost "unknown", never "failed", and its key finds the machine',
      async () => {
        const req = request();
        await subject.acceptNextLaunchThenThrottle();
        const result = await subject.provider.launch(req);
        expect(result.outcome).toBe('unknown');
        const found = await subject.provider.findByLaunchKey(req.poolId, req.idempotencyKey);
        expect(found).not.toBeNull();
        expect((await listedFor(req.runnerId)).map((view) => view.instanceId)).toEqual([found?.instanceId]);
        // Called again with the same key once the throttling is over: that machine, no other.
        expect(launched(await subject.provider.launch(req))).toBe(found?.instanceId);
        expect(await listedFor(req.runnerId)).toHaveLength(1);
      },
    );

    contractCase(
      'no-capacity',
      'reports missing capacity as a retryable insufficient-capacity failure',
      async () => {
        await subject.makeCapacityUnavailable();
        const result = await subject.provider.launch(request());
        expect(result).toMatchObject({ outcome: 'failed', reason: 'insufficient-capacity', retryable: true });
      },
    );

    contractCase(
      'unknown-pool',
      'reports an unknown pool as a non-retryable invalid-configuration failure',
      async () => {
        const result = await subject.provider.launch(request({ poolId: PoolId('no-such-pool') }));
        expect(result).toMatchObject({
          outcome: 'failed',
          reason: 'invalid-configuration',
          retryable: false,
        });
      },
    );

    contractCase(
      'other-deployment',
      "lists only its own deployment's machines: another deployment's in the same account are not its orphans",
      async () => {
        const other = subject.anotherDeployment;
        if (!other) throw new Error('the subject gives no anotherDeployment provider');
        const ours = request();
        const theirs = request();
        const ourMachine = launched(await subject.provider.launch(ours));
        const theirMachine = launched(await other.launch(theirs));
        // Other cases' machines may share the backend (moto's account): only these two matter.
        const ourList = (await subject.provider.list()).map((view) => view.instanceId);
        const theirList = (await other.list()).map((view) => view.instanceId);
        expect(ourList).toContain(ourMachine);
        expect(ourList).not.toContain(theirMachine);
        expect(theirList).toContain(theirMachine);
        expect(theirList).not.toContain(ourMachine);
      },
    );

    contractCase(
      'other-deployment-same-key',
      'starts its own machine for a launch key another deployment used too (two deployments serving one organisation), and finds only its own by that key',
      async () => {
        const other = subject.anotherDeployment;
        if (!other) throw new Error('the subject gives no anotherDeployment provider');
        const req = request();
        const theirMachine = launched(await other.launch(req));
        const ourMachine = launched(await subject.provider.launch(req));
        expect(ourMachine).not.toBe(theirMachine);
        expect((await subject.provider.findByLaunchKey(req.poolId, req.idempotencyKey))?.instanceId).toBe(
          ourMachine,
        );
        expect((await other.findByLaunchKey(req.poolId, req.idempotencyKey))?.instanceId).toBe(theirMachine);
      },
    );

    contractCase(
      'other-deployment-by-id',
      "does not describe another deployment's machine by its id (a spot warning for it is not ours)",
      async () => {
        const other = subject.anotherDeployment;
        if (!other) throw new Error('the subject gives no anotherDeployment provider');
        const theirMachine = launched(await other.launch(request()));
        expect(await subject.provider.findByInstanceId(theirMachine)).toBeNull();
        expect(await other.findByInstanceId(theirMachine)).toMatchObject({ instanceId: theirMachine });
      },
    );
  });
}
