import { describe, expect, it } from '@jest/globals';
import { pool, runner } from './policy-fixtures';
import { selectForScaleDown, type ScaleDownInput } from './scale-down';
import type { RecentJobView } from './unseen-starts';
import type { RegisteredRunnerView, RunnerView } from './views';

// GitHub's `busy` flag (and with it the 422 on DELETE) lags 25–60 s behind a job's start: a
// runner listed idle may have taken a job moments ago. These examples pin when the policy
// trusts "idle".
const NOW = '2026-03-02T10:00:00.000Z';
const secondsAgo = (s: number): string => new Date(Date.parse(NOW) - s * 1000).toISOString();
const listedIdle = (runners: readonly RunnerView[]): Map<string, RegisteredRunnerView> =>
  new Map(
    runners.map((r) => [
      r.runnerName ?? '',
      { githubRunnerId: 1, name: r.runnerName ?? '', status: 'online', busy: false, labels: [] },
    ]),
  );
const queued = (labels: readonly string[]): RecentJobView => ({
  info: { owner: 'acme', repo: 'web', labels },
  status: 'queued',
  runnerName: null,
  startedAt: null,
});
const startedOn = (runnerName: string): RecentJobView => ({
  ...queued(['linux']),
  status: 'in_progress',
  runnerName,
});
const select = (runners: RunnerView[], overrides: Partial<ScaleDownInput> = {}) =>
  selectForScaleDown({
    pool: pool(),
    runners,
    registrations: listedIdle(runners),
    registrationsKnown: true,
    now: NOW,
    busyFlagLagSeconds: 90,
    ...overrides,
  });

describe('scale-down under GitHub’s lagging busy flag', () => {
  it('keeps an idle runner whose last job finished within the busy flag’s lag (it may have taken the next one)', () => {
    expect(select([runner('a', { idleSince: secondsAgo(45) })])).toEqual([]);
  });

  it('keeps a runner that came online within the lag, past its minimum running time', () => {
    expect(select([runner('a', { idleSince: secondsAgo(0) })])).toEqual([]);
  });

  it('keeps a runner GitHub lists online that our records have not seen online yet', () => {
    expect(select([runner('a', { status: 'launched', online: false, idleSince: null })])).toEqual([]);
  });

  it('retires an idle runner once it has been available for the whole lag', () => {
    expect(select([runner('a', { idleSince: secondsAgo(90) })])).toEqual([
      { runnerId: 'a', reason: 'idle', deregister: true },
    ]);
  });

  it('retires no idle runner while a job its pool could serve may have started unrecorded', () => {
    const runners = [runner('a'), runner('b', { idleSince: secondsAgo(3600) })];
    expect(select(runners, { recentJobs: [queued(['self-hosted', 'linux'])] })).toEqual([]);
  });

  it('retires idle runners while the only recent job is one they cannot serve, or is done', () => {
    const recentJobs = [
      queued(['self-hosted', 'gpu']),
      { ...queued(['linux']), status: 'completed' as const },
    ];
    expect(select([runner('a')], { recentJobs })).toEqual([
      { runnerId: 'a', reason: 'idle', deregister: true },
    ]);
  });

  it('keeps the runner a recorded start names while its own record still says idle', () => {
    const started = { ...startedOn('hangar-linux-a'), startedAt: secondsAgo(600) };
    expect(
      select([runner('a', { idleSince: secondsAgo(900) }), runner('b')], { recentJobs: [started] }),
    ).toEqual([{ runnerId: 'b', reason: 'idle', deregister: true }]);
  });

  it('retires the runner a start names once its own record went idle well after that start', () => {
    const started = { ...startedOn('hangar-linux-a'), startedAt: secondsAgo(3600) };
    expect(select([runner('a', { idleSince: secondsAgo(600) })], { recentJobs: [started] })).toEqual([
      { runnerId: 'a', reason: 'idle', deregister: true },
    ]);
  });

  it('still removes a stalled launch while idle runners are held', () => {
    const stalled = runner('s', {
      status: 'launching',
      online: false,
      launchedAt: null,
      idleSince: null,
      requestedAt: secondsAgo(3600),
    });
    expect(
      select([runner('a'), stalled], {
        recentJobs: [{ info: null, status: 'unknown', runnerName: null, startedAt: null }],
      }),
    ).toEqual([{ runnerId: 's', reason: 'launch-stalled', deregister: false }]);
  });
});
