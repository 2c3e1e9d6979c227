import { describe, expect, it } from '@jest/globals';
import { jobStreamId } from '../job/job.decider';
import { DependencyError } from '../shared/errors';
import { poolConfig, scalerFixture, scalerSettings, type ScalerFixture } from '../testing/scaler-fixture';
import { interruptedJob } from '../testing/scaler-steps';
import { openJobs } from './heads';
import { reconcile } from './reconcile';
import { recordWorkflowJob } from './record-workflow-job';

/** How an interrupted job's rerun request meets GitHub's answers (GitHub says 201 or 403). */
const linux = poolConfig({ id: 'linux', maxRunners: 2 });

async function jobEvents(fx: ScalerFixture, jobId: number): Promise<string[]> {
  return (await fx.store.readStream(jobStreamId(String(jobId)))).events.map((event) => event.type);
}

const noPermission = () =>
  new DependencyError(
    'github',
    'rerun-job',
    'HTTP 403: Resource not accessible by integration (the App needs Actions: write)',
    false,
  );

describe('re-running an interrupted job', () => {
  it('a completed delivery succeeds when GitHub refuses the rerun for good, the refusal is recorded once and the job is closed', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const { completed } = await interruptedJob(fx, linux, 501);
    fx.registry.rerunAnswers.push({
      kind: 'refused',
      reason: 'run-too-old',
      detail: 'Unable to retry this workflow run because it was created over a month ago',
    });
    await expect(recordWorkflowJob(fx.deps, completed)).resolves.toMatchObject({ kind: 'recorded' });
    await recordWorkflowJob(fx.deps, completed);
    await reconcile(fx.deps, 'tick');
    expect(fx.registry.calls.filter((call) => call === 'rerunJob')).toHaveLength(1);
    expect((await jobEvents(fx, 501)).filter((type) => type === 'JobRerunRefused')).toHaveLength(1);
    const [refused] = (await fx.store.readStream(jobStreamId('501'))).events.filter(
      (event) => event.type === 'JobRerunRefused',
    );
    expect(refused?.data).toMatchObject({ reason: 'run-too-old' });
    expect((await openJobs(fx.deps)).map((job) => job.jobId)).not.toContain('501');
    expect(fx.metrics.total('InterruptedJobRerunRefused')).toBe(1);
  });

  it('a completed delivery succeeds when the rerun request fails, the failure is logged and counted, and the reconciler asks again', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const { completed } = await interruptedJob(fx, linux, 502);
    fx.registry.rerunAnswers.push(noPermission());
    await expect(recordWorkflowJob(fx.deps, completed)).resolves.toMatchObject({ kind: 'recorded' });
    expect(fx.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Interrupted job rerun failed; the reconciler retries',
      }),
    );
    expect(fx.metrics.total('InterruptedJobRerunFailed')).toBe(1);
    expect(fx.registry.reruns).toEqual([]);
    expect((await reconcile(fx.deps, 'tick')).rerunsRequested).toBe(1);
    expect(fx.registry.reruns).toEqual(['502']);
  });

  it('a run still in progress defers the rerun: recorded once, asked again by each reconciler run until GitHub accepts', async () => {
    const fx = scalerFixture(scalerSettings([linux]));
    const { completed } = await interruptedJob(fx, linux, 503);
    const inProgress = {
      kind: 'not-yet',
      reason: 'run-in-progress',
      detail: 'The workflow run containing this job is already running',
    } as const;
    fx.registry.rerunAnswers.push(inProgress, inProgress);
    await recordWorkflowJob(fx.deps, completed);
    expect((await reconcile(fx.deps, 'tick')).rerunsRequested).toBe(0);
    expect((await jobEvents(fx, 503)).filter((type) => type === 'JobRerunDeferred')).toHaveLength(1);
    expect((await openJobs(fx.deps)).map((job) => job.jobId)).toContain('503');
    expect((await reconcile(fx.deps, 'tick')).rerunsRequested).toBe(1);
    expect(fx.registry.reruns).toEqual(['503']);
    expect((await jobEvents(fx, 503)).slice(-2)).toEqual(['JobRerunDeferred', 'JobRerunRequested']);
  });
});
