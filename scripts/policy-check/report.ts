// The human summary of a simulation: routing, waits, fleet size against the maximum, waste.
import type { SimulationResult } from './results';

/** Nearest-rank percentile of `values` (p in 0..100); null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

const minutes = (value: number | null): string => (value === null ? 'n/a' : `${value} min`);

/** The lines printed for one simulated trace. */
export function summarise(result: SimulationResult): string[] {
  const lines: string[] = [];
  const routed = new Map<string, number>();
  const unroutable = new Map<string, number>();
  let servedAnyway = 0;
  for (const outcome of result.jobs) {
    if ('pool' in outcome.route) routed.set(outcome.route.pool, (routed.get(outcome.route.pool) ?? 0) + 1);
    else {
      unroutable.set(outcome.route.unroutable, (unroutable.get(outcome.route.unroutable) ?? 0) + 1);
      if (outcome.ranOn !== null) servedAnyway += 1;
    }
  }
  const waits = result.jobs
    .filter((outcome) => 'pool' in outcome.route && outcome.startedMinute !== null)
    .map((outcome) => (outcome.startedMinute ?? 0) - outcome.job.atMinute);
  const unroutableTotal = [...unroutable.values()].reduce((sum, n) => sum + n, 0);
  lines.push(`simulated ${result.minutes} minutes, ${result.jobs.length} jobs`);
  lines.push('jobs routed per pool:');
  for (const pool of result.pools) lines.push(`  ${pool.id}: ${routed.get(pool.id) ?? 0}`);
  lines.push(
    `unroutable: ${unroutableTotal}` +
      (unroutableTotal > 0
        ? ` (${[...unroutable].map(([reason, n]) => `${reason}: ${n}`).join(', ')}` +
          (servedAnyway > 0 ? `; ${servedAnyway} ran on a Hangar runner anyway` : '') +
          ')'
        : ''),
  );
  lines.push(
    `wait from queued to running: p50 ${minutes(percentile(waits, 50))}, p95 ${minutes(percentile(waits, 95))}, max ${minutes(waits.length > 0 ? Math.max(...waits) : null)}`,
  );
  lines.push('runners per pool (peak alive / max, idle runner-minutes, machines launched):');
  for (const pool of result.pools) {
    const max = pool.maxRunners < 0 ? 'unlimited' : String(pool.maxRunners);
    lines.push(
      `  ${pool.id}: peak ${pool.peakAlive} / ${max}, idle ${pool.idleRunnerMinutes} runner-min, launched ${pool.machinesLaunched}`,
    );
  }
  lines.push('runners retired per pool, by reason:');
  for (const pool of result.pools) {
    const reasons = Object.entries(pool.retired).sort(([a], [b]) => a.localeCompare(b));
    lines.push(
      `  ${pool.id}: ${reasons.length === 0 ? 'none' : reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
    );
  }
  lines.push(`launch calls: ${result.launchCalls}`);
  lines.push(...hourlyIdle(result));
  lines.push(...warnings(result));
  return lines;
}

/** `Mon 07:00 0, 08:00 3, …`: the day is named at the first hour and whenever it changes. */
function hourlyIdle(result: SimulationResult): string[] {
  const warm = result.pools.filter((pool) => pool.warm && pool.hourlyIdle.length > 0);
  if (warm.length === 0) return [];
  const lines = ['idle runners of warm pools at each hour (UTC):'];
  for (const pool of warm) {
    let day = '';
    const samples = pool.hourlyIdle.map(({ at, idle }) => {
      const date = new Date(at);
      const weekday = date.toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
      const label = `${weekday === day ? '' : `${weekday} `}${at.slice(11, 16)}`;
      day = weekday;
      return `${label} ${idle}`;
    });
    lines.push(`  ${pool.id}: ${samples.join(', ')}`);
  }
  return lines;
}

/** Behaviour worth a look that breaks no invariant. */
function warnings(result: SimulationResult): string[] {
  const lines: string[] = [];
  for (const pool of result.pools) {
    const bootTimeouts = pool.retired['boot-timeout'] ?? 0;
    if (bootTimeouts === 0) continue;
    lines.push(
      `! ${pool.id}: ${bootTimeouts} runner(s) retired as boot-timeout — not seen online within bootTimeMinutes. ` +
        'Check it against simulation.runnerBootMinutes.',
    );
  }
  return lines;
}
