import { describe, expect, it } from '@jest/globals';
import { JobId } from '../shared/brand';
import { runnerStreamId } from '../runner/runner.decider';
import { poolConfig, scalerFixture, scalerSettings, workflowJobFact } from '../testing/scaler-fixture';
import { applyJobEvent } from './apply-job-event';
import { read } from './execute';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';

const reusable = poolConfig({ id: 'linux', maxRunners: 2, ephemeral: false, minimumRunningTimeMinutes: 1 });

describe('scale-down when GitHub lists busy a runner our records call idle', () => {
  it('records it busy, so a job it takes at the end of the unrecorded one is not killed while the flag lags', async () => {
    const fx = scalerFixture(scalerSettings([reusable]));
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 70, fx.clock.now()));
    for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
    const runnerId = runnerIdForJob(JobId(70), 1);
    const name = runnerNameFor(reusable, runnerId);
    fx.registry.selfRegister(name, { level: 'org', owner: reusable.owner }, reusable.labels);
    for (const action of ['in_progress', 'completed'] as const)
      await recordWorkflowJob(fx.deps, workflowJobFact(action, 70, fx.clock.now(), { runnerName: name }));
    for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
    fx.clock.advanceMinutes(10);

    // GitHub gave it job 71; its in_progress is not recorded (delivery failed), the flag shows it.
    fx.registry.setRunner(name, { busy: true });
    expect(await scaleDown(fx.deps, 'cycle-1')).toMatchObject({ retired: 0 });
    // Job 71 ends and job 72 starts on it at once: GitHub lists it idle again for a while.
    fx.clock.advanceMinutes(5);
    fx.registry.setRunner(name, { busy: false });
    expect(await scaleDown(fx.deps, 'cycle-2')).toMatchObject({ retired: 0 });

    expect(fx.registry.calls.filter((call) => call === 'deleteRunner')).toEqual([]);
    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(state.status).toBe('busy');
  });
});
