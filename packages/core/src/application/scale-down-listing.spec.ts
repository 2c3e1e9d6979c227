import { describe, expect, it } from '@jest/globals';
import { poolConfig, scalerFixture, scalerSettings, type ScalerFixture } from '../testing/scaler-fixture';
import { applyJobEvents, queueJob, serveQueued } from '../testing/scaler-steps';
import { recordWorkflowJob } from './record-workflow-job';
import { workflowJobFact } from '../testing/scaler-fixture';
import { runnerIdForJob, runnerNameFor } from './scale-up';
import { scaleDown } from './scale-down';
import { JobId } from '../shared/brand';

const linux = poolConfig({ id: 'linux', bootTimeMinutes: 5, minimumRunningTimeMinutes: 2 });

const listings = (fx: ScalerFixture) => fx.registry.calls.filter((c) => c === 'listRunners').length;

/** Job `jobId` queued, served and started on its runner (busy by our events). */
async function busyRunner(fx: ScalerFixture, jobId: number): Promise<void> {
  await queueJob(fx, jobId);
  await serveQueued(fx);
  await startOn(fx, jobId);
}

/** GitHub's `in_progress` of job `jobId` on the runner requested for it. */
async function startOn(fx: ScalerFixture, jobId: number): Promise<void> {
  const name = runnerNameFor(linux, runnerIdForJob(JobId(jobId), 1));
  await recordWorkflowJob(
    fx.deps,
    workflowJobFact('in_progress', jobId, fx.clock.now(), { runnerName: name }),
  );
  await applyJobEvents(fx);
}

describe('scale-down lists GitHub runners only when the listing can change an outcome', () => {
  it('a cycle over busy and freshly booting runners lists nothing; orphan detection still lists every 10 minutes', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await busyRunner(fx, 1);
    await queueJob(fx, 2);
    await serveQueued(fx);

    const first = await scaleDown(fx.deps, 'tick-1', { registrationsListedAt: null });
    expect(listings(fx)).toBe(1);
    expect(first.registrationsListedAt).toBe(fx.clock.now());

    fx.clock.advanceMinutes(1);
    const second = await scaleDown(fx.deps, 'tick-2', { registrationsListedAt: first.registrationsListedAt });
    expect(listings(fx)).toBe(1);
    expect(second.registrationsListedAt).toBe(first.registrationsListedAt);

    // Job 2's runner starts it: every runner is busy, nothing to decide, still no listing ...
    await startOn(fx, 2);
    fx.clock.advanceMinutes(8);
    await scaleDown(fx.deps, 'tick-3', { registrationsListedAt: first.registrationsListedAt });
    expect(listings(fx)).toBe(1);
    // ... until ten minutes after the last listing of every scope, for the orphans.
    fx.clock.advanceMinutes(1);
    const later = await scaleDown(fx.deps, 'tick-4', { registrationsListedAt: first.registrationsListedAt });
    expect(listings(fx)).toBe(2);
    expect(later.registrationsListedAt).toBe(fx.clock.now());
  });

  it('a runner launched long enough ago to be idle or stuck makes the cycle list', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const listedAt = fx.clock.now();
    await queueJob(fx, 4);
    await serveQueued(fx);
    fx.clock.advanceMinutes(2);
    await scaleDown(fx.deps, 'tick', { registrationsListedAt: listedAt });
    expect(listings(fx)).toBe(1);
  });

  it('without a memory of the last listing (a cold start, or callers that pass none) every cycle lists', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    await busyRunner(fx, 5);
    await scaleDown(fx.deps, 'tick-1');
    await scaleDown(fx.deps, 'tick-2');
    expect(listings(fx)).toBe(2);
  });
});
