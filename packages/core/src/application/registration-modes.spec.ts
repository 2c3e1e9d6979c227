import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import type { PoolConfig } from '../config/pool-config';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

/** Queues one job for the pool, serves it, and returns what the runner's machine would read. */
async function launchFor(pool: PoolConfig, jobId = 7) {
  const fx = scalerFixture(scalerSettings([pool]));
  await recordWorkflowJob(fx.deps, workflowJobFact('queued', jobId, fx.clock.now(), { labels: pool.labels }));
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
  const runnerId = runnerIdForJob(JobId(jobId), 1);
  const secret = JSON.parse(fx.secrets.valueOf(runnerId) ?? '{}') as Record<string, unknown>;
  return { fx, runnerId, secret, registered: [...fx.registry.registrations.values()] };
}

describe('scale-up: how a runner registers', () => {
  it('gives an ephemeral runner of a pool without JIT configs a registration token marked ephemeral, and creates no JIT config', async () => {
    const pool = poolConfig({ ephemeral: true, jitConfig: false, runnerGroup: 'ci' });
    const { fx, runnerId, secret } = await launchFor(pool);
    expect(secret).toEqual({
      kind: 'registration',
      token: expect.any(String),
      url: 'https://github.com/acme',
      name: runnerNameFor(pool, runnerId),
      labels: pool.labels,
      runnerGroup: 'ci',
      ephemeral: true,
    });
    expect(fx.registry.calls).toContain('createRegistrationToken');
    expect(fx.registry.calls).not.toContain('createJitConfig');
  });

  it('registers a JIT runner with the default labels next to the pool labels, each once', async () => {
    const pool = poolConfig({
      labels: ['self-hosted', 'gpu'],
      defaultLabels: ['self-hosted', 'Linux', 'X64'],
    });
    const { registered, secret } = await launchFor(pool);
    expect(secret.kind).toBe('jit');
    expect(registered.map((r) => r.labels)).toEqual([['self-hosted', 'Linux', 'X64', 'gpu']]);
  });

  it("sends a pool label that repeats a default label in another case once, keeping the pool's spelling (GitHub labels ignore case)", async () => {
    const pool = poolConfig({
      labels: ['self-hosted', 'linux', 'x64', 'gpu'],
      defaultLabels: ['self-hosted', 'Linux', 'X64'],
    });
    const { registered } = await launchFor(pool);
    expect(registered.map((r) => r.labels)).toEqual([['self-hosted', 'linux', 'x64', 'gpu']]);
  });

  it('registers a JIT runner with exactly the pool labels when default labels are off', async () => {
    const pool = poolConfig({ labels: ['gpu'], defaultLabels: [] });
    const { registered } = await launchFor(pool);
    expect(registered.map((r) => r.labels)).toEqual([['gpu']]);
  });

  it('tells config.sh to add no default labels when they are off, and says nothing when they are on', async () => {
    const off = await launchFor(poolConfig({ ephemeral: false, defaultLabels: [] }));
    expect(off.secret).toMatchObject({ kind: 'registration', noDefaultLabels: true });
    const on = await launchFor(
      poolConfig({ ephemeral: false, defaultLabels: ['self-hosted', 'Linux', 'X64'] }),
    );
    expect(on.secret.kind).toBe('registration');
    expect(on.secret).not.toHaveProperty('noDefaultLabels');
    expect(on.secret).not.toHaveProperty('ephemeral');
  });
});
