import type { PoolReport, WaitingJob } from '@hangar/core';
import { reasonLabel, reasonText } from './reason';
import { columns, duration, type Style } from './text';

/** `hangar waiting`: one row per waiting job, longest wait first, with the reason in full. */
export function renderWaiting(waiting: readonly WaitingJob[], s: Style): string[] {
  if (waiting.length === 0) return ['No job is waiting for a runner.'];
  const rows = [
    ['JOB', 'WAITED', 'POOL', 'REASON', 'REPOSITORY', 'WHY'].map(s.bold),
    ...waiting.map((job) => [
      job.jobId,
      duration(job.waitedSeconds),
      job.poolId ?? '-',
      s.yellow(reasonLabel(job.reason)),
      `${job.owner}/${job.repo}`,
      reasonText(job.reason),
    ]),
  ];
  return [...columns(rows), '', `${waiting.length} job${waiting.length === 1 ? '' : 's'} waiting`];
}

/** `hangar pools`: capacity and fleet per pool, waiting jobs by reason, launches in the window. */
export function renderPools(
  pools: readonly PoolReport[],
  waiting: readonly WaitingJob[],
  windowMinutes: number,
  s: Style,
): string[] {
  if (pools.length === 0) return ['No pool known: give --pools or --terraform, or nothing has run yet.'];
  const window = windowMinutes === 60 ? '1H' : `${windowMinutes}M`;
  const rows = [
    [
      'POOL',
      'ALIVE/MAX',
      'BOOTING',
      'IDLE',
      'BUSY',
      'TERMINATING',
      'WAITING',
      'OLDEST WAIT',
      `LAUNCHED ${window}`,
      `FAILED ${window}`,
    ].map(s.bold),
    ...pools.map((pool) => {
      const full = pool.max !== null && pool.max >= 0 && pool.alive >= pool.max;
      const alive = `${pool.alive}/${pool.max === null ? '?' : pool.max < 0 ? '∞' : pool.max}`;
      const failed = pool.activity.launchFailures;
      return [
        pool.poolId,
        full ? s.yellow(alive) : alive,
        String(pool.runners.booting),
        String(pool.runners.idle),
        String(pool.runners.busy),
        String(pool.runners.terminating),
        String(pool.waiting.total),
        duration(pool.waiting.oldestWaitSeconds),
        String(pool.activity.launched),
        failed > 0 ? s.red(`${failed} (${pool.activity.finalFailures} final)`) : '0',
      ];
    }),
  ];
  const lines = columns(rows);
  const byReason = (counts: Readonly<Record<string, number | undefined>>) =>
    Object.entries(counts)
      .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
  const rowsByReason = pools
    .filter((pool) => pool.waiting.total > 0)
    .map((pool) => [pool.poolId, byReason(pool.waiting.byReason)]);
  // Jobs scale-up has not routed yet (or waiting for an approval) belong to no pool so far.
  const unrouted: Record<string, number> = {};
  for (const job of waiting)
    if (job.poolId === null) unrouted[job.reason.code] = (unrouted[job.reason.code] ?? 0) + 1;
  if (Object.keys(unrouted).length > 0) rowsByReason.push(['(no pool yet)', byReason(unrouted)]);
  if (rowsByReason.length > 0) {
    lines.push('', s.bold('Waiting jobs by reason'));
    lines.push(...columns(rowsByReason).map((line) => `  ${line}`));
  }
  return lines;
}
