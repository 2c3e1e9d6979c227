import { describe, expect, it } from '@jest/globals';
import { recordWorkflowJob, scaleDown, scaleUp } from '@hangar/core';
import { scalerFixture, workflowJobFact, type ScalerFixture } from '@hangar/core/testing/scaler-fixture';
import { appPrivateKey, fullEnvironment, MemoryParameters, PARAMETERS, POOLS } from '../spec-fixtures';
import { loadConfiguration, parseEnvironment } from './load';

const key = appPrivateKey();

/** A deployment's scaler as its configuration makes it (pools without a name prefix), on one shared GitHub org. */
async function deployment(name: string, github?: ScalerFixture['registry']): Promise<ScalerFixture> {
  const parameters = new MemoryParameters({
    [PARAMETERS.pools]: JSON.stringify(POOLS.filter((pool) => pool.compute.kind === 'ec2')),
    [PARAMETERS.apps]: JSON.stringify([{ appId: 101, privateKey: key }]),
    [PARAMETERS.webhookSecret]: 'secret',
  });
  const environment = parseEnvironment({ ...fullEnvironment(), HANGAR_DEPLOYMENT: name }, 'scale-up');
  const { settings } = await loadConfiguration(environment, parameters);
  const fx = scalerFixture(settings);
  if (!github) return fx;
  return { ...fx, registry: github, deps: { ...fx.deps, registry: github, recovery: github } };
}

async function serve(fx: ScalerFixture, jobId: number): Promise<void> {
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now()));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, `serve-${jobId}`);
}

describe('two deployments without a name prefix serving one organisation', () => {
  it("register under names of their own: neither adopts the other's registration nor removes it as an orphan", async () => {
    const blue = await deployment('blue');
    const green = await deployment('green', blue.registry);
    // Both serve job 1 (overlapping labels): the same runner id in each deployment.
    await serve(blue, 1);
    await serve(green, 1);
    // Green's runner for job 2 is registered and still booting (offline) when blue sweeps.
    await serve(green, 2);
    await scaleDown(blue.deps, 'blue-sweep');

    const names = [...blue.registry.registrations.values()].map((registration) => registration.name).sort();
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    expect(blue.registry.calls.filter((call) => call === 'deleteRunner')).toEqual([]);
    expect(names.filter((name) => name.startsWith('blue-'))).toHaveLength(1);
    expect(names.filter((name) => name.startsWith('green-'))).toHaveLength(2);
  });

  it('keep the prefix a pool sets (existing names stay as they are)', async () => {
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify([{ ...POOLS[0], namePrefix: 'ci-' }]),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 101, privateKey: key }]),
      [PARAMETERS.webhookSecret]: 'secret',
    });
    const environment = parseEnvironment({ ...fullEnvironment(), HANGAR_DEPLOYMENT: 'blue' }, 'scale-up');
    const { settings } = await loadConfiguration(environment, parameters);
    expect(settings.pools.map((pool) => pool.namePrefix)).toEqual(['ci-']);
  });
});
