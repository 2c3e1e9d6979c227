import { describe, expect, it } from '@jest/globals';
import { runnerStreamId } from '../runner/runner.decider';
import { machineOf } from '../runner/runner.state';
import { JobId } from '../shared/brand';
import { DependencyError } from '../shared/errors';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { read } from './execute';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

const pool = poolConfig({ id: 'linux', ephemeral: true });
const runnerId = runnerIdForJob(JobId(900), 1);
const name = runnerNameFor(pool, runnerId);

/** A runner launched and registered at GitHub, whose config the secret store refuses once. */
async function refusedOnce(notApplied: boolean) {
  const fx = scalerFixture(scalerSettings([pool]));
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', 900, fx.clock.now()));
  const [message] = fx.scaleUpQueue.take();
  const put = fx.secrets.put.bind(fx.secrets);
  let refusals = 1;
  fx.secrets.put = async (...args) => {
    if (refusals-- > 0)
      throw new DependencyError('ssm', 'PutParameter', 'ThrottlingException', true, { notApplied });
    return put(...args);
  };
  await expect(scaleUp(fx.deps, message!, 'first')).rejects.toThrow('PutParameter');
  return { fx, message: message! };
}

describe('a runner config the secret store refused after GitHub created its registration', () => {
  it('is registered again by the next delivery: the refused registration is deleted, a new config is stored, one registration is left', async () => {
    const { fx, message } = await refusedOnce(true);
    expect(fx.registry.byName(name)).toBeUndefined();
    await scaleUp(fx.deps, message, 'redelivery');

    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(machineOf(state)?.configDeliveredAt).not.toBeNull();
    const live = fx.registry.byName(name);
    expect(live).toBeDefined();
    expect(fx.secrets.valueOf(runnerId)).toContain(`:${live?.githubRunnerId}`);
    expect([...fx.registry.registrations.values()].filter((r) => r.name === name)).toHaveLength(1);
  });

  it('is left alone when the store may have stored it (a 5xx or a timeout): its machine may hold that config', async () => {
    const { fx, message } = await refusedOnce(false);
    const registered = fx.registry.byName(name);
    expect(registered).toBeDefined();
    await scaleUp(fx.deps, message, 'redelivery');
    expect(fx.registry.byName(name)).toEqual(registered);
    expect(fx.secrets.valueOf(runnerId)).toBeNull();
    expect(fx.registry.calls.filter((call) => call === 'createJitConfig')).toHaveLength(1);
  });
});
