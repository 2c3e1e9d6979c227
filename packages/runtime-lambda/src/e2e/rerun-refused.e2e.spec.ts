import { afterEach, describe, expect, it } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { createEventStoreClient, DynamoDbEventStore, Ec2FleetComputeProvider } from '@hangar/adapter-aws';
import { PoolId, RunnerId, type ReconcileReport } from '@hangar/core';
import type { LocalControlPlane } from '../local/control-plane';
import { LOCAL_CREDENTIALS } from '../local/infrastructure';
import { scheduledEvent } from '../local/schedules';
import { ec2Pool, startScenario } from './harness';

/**
 * GitHub answers a job re-run with 403 when it will not re-run it (here: a job of a reusable
 * workflow) and when the App lacks Actions write. Neither may fail the `completed` webhook or
 * stop the reconciler: in the same run it still terminates a leaked machine and deletes a
 * stale secret.
 */
const LABELS = ['self-hosted', 'linux', 'x64'];
const POOL = ec2Pool('spot', LABELS);

/** A tagged machine whose runner stream was never written (a lost record): a leak. */
async function leakMachine(plane: LocalControlPlane): Promise<string> {
  const provider = new Ec2FleetComputeProvider({
    client: new EC2Client({
      region: plane.infrastructure.region,
      endpoint: plane.infrastructure.ec2.endpoint,
      credentials: LOCAL_CREDENTIALS,
    }),
    // The plane's own deployment (its table), so its reconciler takes the machine for its own.
    deployment: plane.infrastructure.tableName,
    pools: new Map([
      [
        PoolId('spot'),
        {
          launchTemplateName: 'lt-spot',
          subnetIds: ['subnet-0a1b2c3d'],
          instanceTypes: ['m7i.large'],
          allocationStrategy: 'price-capacity-optimized',
        },
      ],
    ]),
    clock: () => plane.clock.date(),
  });
  const launched = await provider.launch({
    runnerId: RunnerId('ghost'),
    poolId: PoolId('spot'),
    idempotencyKey: 'ghost-1',
    capacityType: 'on-demand',
    secretPath: '/hangar/runners/ghost',
    owner: 'acme',
  });
  if (launched.outcome !== 'launched') throw new Error(`leak launch failed: ${launched.detail}`);
  return launched.instanceId;
}

async function jobEventTypes(plane: LocalControlPlane, jobId: number): Promise<string[]> {
  const store = new DynamoDbEventStore({
    client: createEventStoreClient({
      region: plane.infrastructure.region,
      endpoint: plane.infrastructure.dynamoDbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    }),
    tableName: plane.infrastructure.tableName,
  });
  return (await store.readStream(`job-${jobId}`)).events.map((event) => event.type);
}

/** A job on a spot machine that is interrupted mid-job, with a leak and a stale secret beside it. */
async function interruptedWithLeftovers(
  plane: LocalControlPlane,
  options: { inReusableWorkflow?: boolean } = {},
): Promise<{ jobId: number; leak: string }> {
  const { jobId } = plane.fake.queueJob({
    repo: 'acme/web',
    labels: LABELS,
    durationMs: 10 * 60_000,
    ...options,
  });
  expect(
    await plane.runUntil(() => plane.fake.job(jobId).status === 'in_progress', { maxSimulatedMinutes: 5 }),
  ).toBe(true);
  const leak = await leakMachine(plane);
  await plane.infrastructure.runnerSsm.put('/hangar/runners/stale', '{"kind":"jit","jitConfig":"x"}');
  const victim = plane.infrastructure.ec2.instances().find((i) => i.tags['hangar:runner-id'] !== 'ghost');
  plane.infrastructure.ec2.interruptSpot(victim?.instanceId as string);
  expect(
    await plane.runUntil(() => plane.fake.job(jobId).status === 'completed', { maxSimulatedMinutes: 5 }),
  ).toBe(true);
  // Past the reconciler's 10-minute grace for the leak and the secret.
  for (let minute = 0; minute < 11; minute += 1) await plane.step(60);
  return { jobId, leak };
}

/** One reconciler invocation, as EventBridge makes it; its report is the handler's result. */
const reconcileOnce = (plane: LocalControlPlane, rule: string) =>
  plane.handlers.reconciler(
    scheduledEvent(rule, plane.clock.date(), plane.infrastructure.region),
  ) as Promise<ReconcileReport>;

const leakGone = (plane: LocalControlPlane, leak: string) =>
  ['shutting-down', 'terminated'].includes(
    plane.infrastructure.ec2.instances().find((i) => i.instanceId === leak)?.state ?? '',
  );

describe('a spot-interrupted job whose re-run GitHub refuses with 403', () => {
  let plane: LocalControlPlane;
  afterEach(async () => {
    await plane.close();
  });

  // The index lags 20 s behind the appends, as DynamoDB's GSIs may: the reconciler's listings
  // miss new runners and show ended ones for that long, and its clean-up must not care.
  const start = () =>
    startScenario({
      pools: [POOL],
      schedules: { reconciler: 0 },
      secretWaitSeconds: 7200,
      indexLagSeconds: 20,
    });

  it('refused for good (a job of a reusable workflow): the webhook succeeds, JobRerunRefused is recorded, and the reconciler still cleans a leaked machine and a stale secret in the same run', async () => {
    plane = await start();
    const { jobId, leak } = await interruptedWithLeftovers(plane, { inReusableWorkflow: true });
    const completed = plane.fake
      .deliveries()
      .filter((d) => d.action === 'completed' && JSON.stringify(d.request.payload).includes(String(jobId)));
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((d) => d.ok)).toBe(true);
    expect(await jobEventTypes(plane, jobId)).toContain('JobRerunRefused');

    const report = await reconcileOnce(plane, 'after-refusal');
    expect(report).toMatchObject({ failedSteps: [], rerunsRequested: 0 });
    expect(report.instancesTerminated).toBeGreaterThanOrEqual(1);
    expect(report.secretsDeleted).toBeGreaterThanOrEqual(1);
    expect(leakGone(plane, leak)).toBe(true);
    expect(await plane.infrastructure.runnerSsm.get('/hangar/runners/stale')).toBeNull();
    expect(plane.fake.jobs().filter((j) => j.runId === plane.fake.job(jobId).runId)).toHaveLength(1);
  });

  it('refused for lack of Actions write: the rerun step fails and is reported, the same run cleans the leak and the secret, and the job is re-run once the permission is granted', async () => {
    plane = await start();
    const installationId = plane.fake.install(plane.infrastructure.app.appId, 'acme');
    plane.fake.setActionsPermission(installationId, 'read');
    const { jobId, leak } = await interruptedWithLeftovers(plane);

    const report = await reconcileOnce(plane, 'without-permission');
    expect(report.failedSteps).toEqual(['rerun-interrupted-jobs']);
    expect(report.instancesTerminated).toBeGreaterThanOrEqual(1);
    expect(report.secretsDeleted).toBeGreaterThanOrEqual(1);
    expect(leakGone(plane, leak)).toBe(true);
    expect(await plane.infrastructure.runnerSsm.get('/hangar/runners/stale')).toBeNull();

    plane.fake.setActionsPermission(installationId, 'write');
    expect(await reconcileOnce(plane, 'with-permission')).toMatchObject({
      failedSteps: [],
      rerunsRequested: 1,
    });
    const runId = plane.fake.job(jobId).runId;
    expect(
      await plane.runUntil(
        () =>
          plane.fake
            .jobs()
            .some((j) => j.runId === runId && j.runAttempt === 2 && j.conclusion === 'success'),
        { maxSimulatedMinutes: 30 },
      ),
    ).toBe(true);
  });
});
