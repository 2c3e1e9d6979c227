import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { JitConfigRequest, RunnerScope } from '../ports/runner-registry';
import type { RunnerSecretRef, SecretReader } from '../ports/secret-store';
import { RunnerId } from '../shared/brand';
import type { ScalerDeps } from './deps';
import type { ScaleUpMessage } from './messages';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleUp } from './scale-up';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { overriding } from '../testing/scheduled-ports';

/**
 * Standard SQS queues deliver a message more than once, and a duplicated `queued` webhook
 * sends a second serve-job message: several scale-up invocations serve one job at the same
 * time. fc.scheduler interleaves every call they make to the event store, the cloud, GitHub
 * and the secret store. Whatever the interleaving, each runner gets exactly one GitHub
 * registration call and one secret write, and the secret it gets belongs to a registration
 * that still exists.
 */
interface Counts {
  readonly registrations: Map<string, number>;
  readonly secretWrites: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** The fixture's ports, each call resolved when the scheduler says so, and counted. */
function scheduled(s: fc.Scheduler, deps: ScalerDeps, counts: Counts): ScalerDeps {
  const { eventStore: store, registry, secrets } = deps;
  const ec2 = deps.compute('ec2');
  let tokens = 0;
  return {
    ...deps,
    eventStore: overriding(store, {
      readStream: s.scheduleFunction(store.readStream.bind(store)),
      append: s.scheduleFunction(store.append.bind(store)),
      ...(store.appendAll ? { appendAll: s.scheduleFunction(store.appendAll.bind(store)) } : {}),
    }),
    registry: overriding(registry, {
      createJitConfig: s.scheduleFunction((request: JitConfigRequest) => {
        bump(counts.registrations, request.runnerName);
        return registry.createJitConfig(request);
      }),
      createRegistrationToken: s.scheduleFunction((scope: RunnerScope) => {
        tokens += 1;
        bump(counts.registrations, `token-${tokens}`);
        return registry.createRegistrationToken(scope);
      }),
    }),
    secrets: overriding(secrets, {
      put: s.scheduleFunction((ref: RunnerSecretRef, value: string, reader: SecretReader) => {
        bump(counts.secretWrites, ref.runnerId);
        return secrets.put(ref, value, reader);
      }),
    }),
    compute: () => overriding(ec2, { launch: s.scheduleFunction(ec2.launch.bind(ec2)) }),
  };
}

describe('duplicated serve-job deliveries', () => {
  it('register each runner once: one GitHub call, one secret write, and that secret belongs to a live registration', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        async (s, jobs, copies) => {
          const fx = scalerFixture(scalerSettings([poolConfig({ id: 'linux', ephemeral: true })]));
          const messages: ScaleUpMessage[] = [];
          for (let id = 1; id <= jobs; id += 1) {
            await recordWorkflowJob(fx.deps, workflowJobFact('queued', 500 + id, fx.clock.now()));
            for (const message of fx.scaleUpQueue.take()) messages.push(message);
          }
          const counts: Counts = { registrations: new Map(), secretWrites: new Map() };
          const deps = scheduled(s, fx.deps, counts);
          const invocations = messages.flatMap((message, m) =>
            Array.from({ length: copies }, (_, copy) => scaleUp(deps, message, `delivery-${m}-${copy}`)),
          );
          await s.waitFor(Promise.allSettled(invocations));

          expect([...counts.registrations.values()]).toEqual(Array.from({ length: jobs }, () => 1));
          expect([...counts.secretWrites.values()]).toEqual(Array.from({ length: jobs }, () => 1));
          for (const [runnerId] of counts.secretWrites) {
            const secret = JSON.parse(fx.secrets.valueOf(RunnerId(runnerId)) ?? '{}') as {
              jitConfig?: string;
            };
            const githubRunnerId = Number(secret.jitConfig?.split(':').at(-1));
            expect(fx.registry.registrations.has(githubRunnerId)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
