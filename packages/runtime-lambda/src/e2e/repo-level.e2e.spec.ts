import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunnerRecord } from '@hangar/test-support/github';
import type { LocalControlPlane } from '../local/control-plane';
import { allFinished, conclusions, ec2Pool, poolOfRunner, startScenario } from './harness';

const LABELS = ['self-hosted', 'linux', 'x64'];
const LIST_REPO_RUNNERS = 'GET /repos/{owner}/{repo}/actions/runners';

const inWeb = (runner: RunnerRecord): boolean =>
  runner.scope.kind === 'repo' && runner.scope.repo === 'acme/web';

// A repo-level pool for acme/web (reusable runners, one kept warm by a pool schedule that
// fired at 07:00, before the clock starts at 08:00) beside an org-level pool with the same
// labels (ephemeral: its runners are gone after their job, so GitHub's choice of runner is
// deterministic here).
describe('a repo-level pool beside an org-level one', () => {
  let plane: LocalControlPlane;
  const routed = new Map<number, string>();
  let warm: RunnerRecord | undefined;
  let launchedAfterJobs: Readonly<Record<string, number>> = {};
  let webRunnersAfterJobs: number[] = [];

  beforeAll(async () => {
    plane = await startScenario({
      pools: [
        ec2Pool('org', LABELS),
        ec2Pool('web', LABELS, {
          level: 'repo',
          owner: 'acme/web',
          ephemeral: false,
          bootTimeMinutes: 3,
          poolSchedules: [{ cron: '0 0 7 * * *', size: 1 }],
        }),
      ],
    });
    // Top-up starts the warm runner, which registers itself in the repository.
    await plane.runUntil(() => plane.fake.runners().some((r) => inWeb(r) && r.status === 'online'), {
      maxSimulatedMinutes: 10,
    });
    warm = plane.fake.runners().find(inWeb);

    for (let i = 0; i < 3; i += 1) {
      routed.set(plane.fake.queueJob({ repo: 'acme/web', labels: LABELS, durationMs: 60_000 }).jobId, 'web');
    }
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);
    for (let i = 0; i < 2; i += 1) {
      routed.set(plane.fake.queueJob({ repo: 'acme/api', labels: LABELS, durationMs: 60_000 }).jobId, 'org');
    }
    expect(await plane.runUntil(() => allFinished(plane), { maxSimulatedMinutes: 15 })).toBe(true);
    launchedAfterJobs = plane.observer.snapshot().launchedByPool;
    webRunnersAfterJobs = plane.fake
      .runners()
      .filter(inWeb)
      .map((runner) => runner.id);

    // Four times the boot time: scale-down runs every minute, the reconciler every five.
    const quietUntil = new Date(Date.parse(plane.clock.now()) + 12 * 60_000).toISOString();
    await plane.runUntil(() => plane.clock.now() >= quietUntil, { maxSimulatedMinutes: 13 });
  }, 120_000);

  afterAll(async () => {
    await plane.close();
  });

  it('keeps a warm runner registered in the repository from the pool schedule', () => {
    expect(warm).toMatchObject({
      ephemeral: false,
      status: 'online',
      scope: { kind: 'repo', repo: 'acme/web' },
    });
  });

  it('runs the repository’s jobs on its repo-level runners and other repositories’ on the org pool', () => {
    for (const job of plane.fake.jobs()) {
      expect({ job: job.id, pool: poolOfRunner(plane, job.runnerName) }).toEqual({
        job: job.id,
        pool: routed.get(job.id),
      });
    }
    expect(conclusions(plane.fake.jobs())).toEqual({ success: 5 });
  });

  it('lists the repository’s runners in scale-down and keeps one warm runner without churning it', () => {
    expect(plane.fake.calls().byRoute[LIST_REPO_RUNNERS]).toBeGreaterThan(0);
    // The extra idle runners were scaled down (oldest first); the one kept is a runner that
    // was already there, and no machine was launched since: nothing retired as boot-timeout
    // and launched again.
    const survivors = plane.fake.runners().filter(inWeb);
    expect(survivors).toEqual([expect.objectContaining({ status: 'online', busy: false })]);
    expect(webRunnersAfterJobs).toContain(survivors[0]?.id);
    expect(plane.observer.snapshot().launchedByPool).toEqual(launchedAfterJobs);
    expect(plane.observer.aliveIn('web')).toBe(1);
    expect(plane.observer.aliveIn('org')).toBe(0);
  });
});
