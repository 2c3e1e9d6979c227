import type { LocalControlPlane, LocalControlPlaneOptions } from './control-plane';
import { startLocalControlPlane } from './control-plane';
import type { PoolInput } from './infrastructure';
import { logicalJobs, violations, waitSeconds, type ControlPlaneReport } from './report';
import { buildTrace, TracePlayer, type TraceShape } from './workload';
import { readDemoHistory } from './demo-history';
import { TimelineSampler } from './demo-timeline';

/** A fault the demo injects at a simulated minute. */
export type WorkloadFault =
  | { readonly atMinute: number; readonly kind: 'spot-capacity'; readonly available: number | 'unlimited' }
  | { readonly atMinute: number; readonly kind: 'spot-interruption'; readonly count: number }
  | {
      readonly atMinute: number;
      readonly kind: 'github-5xx';
      readonly status: 500 | 502 | 503;
      readonly times: number;
    };

/** The demo's input file (scripts/demo/workload.json). */
export interface Workload {
  readonly description?: string;
  readonly repos: readonly string[];
  readonly pools: readonly PoolInput[];
  readonly environment?: Readonly<Record<string, string>>;
  /** The trace shape; its jobs go to `repos`. */
  readonly trace: Omit<TraceShape, 'repos'>;
  readonly faults?: readonly WorkloadFault[];
  readonly maxSimulatedMinutes: number;
  /** Simulated seconds per step of the control plane (10): longer steps run a small workload faster. */
  readonly stepSeconds?: number;
}

export interface DemoOptions {
  readonly workload: Workload;
  readonly handlers: LocalControlPlaneOptions['handlers'];
  readonly dynamoDbEndpoint?: string;
  /** Progress lines (every 5 simulated minutes); silent when absent. */
  readonly progress?: (line: string) => void;
  /** Runs once, at the first step at or after `minute` (e.g. to copy the table for `hangar waiting`). */
  readonly atMinute?: { readonly minute: number; readonly run: (plane: LocalControlPlane) => Promise<void> };
}

import type { DemoTimeline } from './demo-report-types';

export type { DemoTimeline } from './demo-report-types';

export interface DemoResult {
  readonly report: ControlPlaneReport;
  readonly violations: readonly string[];
  readonly finished: boolean;
  readonly timeline: DemoTimeline;
  /** Where the run's event store is (it outlives the run when the caller started DynamoDB Local). */
  readonly tableName: string;
  readonly endedAt: string;
}

const minutesLabel = (ms: number): string => {
  const total = Math.round(ms / 1000);
  return `${String(Math.floor(total / 60)).padStart(3, ' ')}:${String(total % 60).padStart(2, '0')}`;
};

export function applyFault(plane: LocalControlPlane, fault: WorkloadFault): string {
  const { ec2, fake } = plane.infrastructure;
  switch (fault.kind) {
    case 'spot-capacity':
      ec2.setCapacity({ market: 'spot', available: fault.available });
      return fault.available === 0
        ? 'spot capacity runs out (InsufficientInstanceCapacity)'
        : 'spot capacity is back';
    case 'spot-interruption': {
      // Runner ids of the busy runners (names are `<prefix>hgr-<runnerId>`).
      const busy = new Set(
        fake
          .runners()
          .filter((r) => r.busy)
          .map((r) => r.name.slice(r.name.lastIndexOf('hgr-') + 4)),
      );
      const victims = ec2
        .instances()
        .filter((i) => i.lifecycle === 'spot' && i.state === 'running')
        .filter((i) => busy.has(i.tags['hangar:runner-id'] ?? ''))
        .slice(0, fault.count);
      for (const victim of victims) ec2.interruptSpot(victim.instanceId);
      return `${victims.length} spot instance(s) interrupted during their jobs`;
    }
    case 'github-5xx':
      fake.faults.add({
        method: 'POST',
        path: '/orgs/{org}/actions/runners/generate-jitconfig',
        status: fault.status,
        times: fault.times,
      });
      return `GitHub answers ${fault.times} JIT config request(s) with ${fault.status}`;
  }
}

/** Every job of the trace has been queued and its last attempt completed successfully. */
function allDone(plane: LocalControlPlane, player: TracePlayer): boolean {
  if (!player.done()) return false;
  for (const attempts of logicalJobs(plane.fake.jobs()).values()) {
    const last = attempts[attempts.length - 1];
    if (last?.status !== 'completed' || last.conclusion !== 'success') return false;
  }
  return true;
}

/** Runs a workload through the local control plane and reports on it. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { workload } = options;
  const plane = await startLocalControlPlane({
    pools: workload.pools,
    repos: workload.repos,
    handlers: options.handlers,
    ...(workload.environment ? { environment: workload.environment } : {}),
    ...(options.dynamoDbEndpoint ? { dynamoDbEndpoint: options.dynamoDbEndpoint } : {}),
    ...(workload.stepSeconds ? { stepSeconds: workload.stepSeconds } : {}),
  });
  try {
    const start = plane.clock.nowMs();
    const sampler = new TimelineSampler(
      start,
      workload.pools.map((pool) => pool.id),
    );
    let atMinute = options.atMinute;
    const trace = buildTrace({ ...workload.trace, repos: workload.repos });
    const player = new TracePlayer(trace, plane.fake, start);
    const faults = [...(workload.faults ?? [])].sort((a, b) => a.atMinute - b.atMinute);
    const deadline = start + workload.maxSimulatedMinutes * 60_000;
    const say = options.progress ?? (() => undefined);
    say(
      `${trace.length} jobs over ${workload.trace.minutes} simulated minutes, ${workload.pools.length} runner configurations`,
    );
    let nextProgress = start;
    let finished = false;
    while (plane.clock.nowMs() < deadline) {
      const now = plane.clock.nowMs();
      player.play(now);
      while (faults[0] && start + faults[0].atMinute * 60_000 <= now) {
        const fault = faults.shift() as WorkloadFault;
        const label = applyFault(plane, fault);
        sampler.fault(now, fault.kind, label);
        say(`t+${minutesLabel(now - start)}  fault: ${label}`);
      }
      await plane.step();
      sampler.sample(plane);
      if (atMinute && plane.clock.nowMs() >= start + atMinute.minute * 60_000) {
        await atMinute.run(plane);
        atMinute = undefined;
      }
      if (plane.clock.nowMs() >= nextProgress) {
        nextProgress += 5 * 60_000;
        say(progressLine(plane, start));
      }
      if (allDone(plane, player)) {
        finished = true;
        break;
      }
    }
    // Let scale-down see the quiet period end (3 simulated minutes), so idle time and the fleet
    // settle as in production.
    for (let i = 0; i < Math.ceil(180 / (workload.stepSeconds ?? 10)); i += 1) {
      await plane.step();
      sampler.sample(plane);
    }
    say(progressLine(plane, start));
    const report = await plane.report();
    const jobs = plane.fake.jobs();
    const history = await readDemoHistory({
      endpoint: plane.infrastructure.dynamoDbEndpoint,
      tableName: plane.infrastructure.tableName,
      jobIds: jobs.map((job) => job.id),
      start,
      minutes: sampler.samples.length,
    });
    const timeline: DemoTimeline = {
      startedAt: new Date(start).toISOString(),
      samples: sampler.samples,
      faults: sampler.faults,
      maxRunners: Object.fromEntries(workload.pools.map((pool) => [pool.id, pool.maxRunners ?? -1])),
      history,
      waits: waitSeconds(jobs),
    };
    return {
      report,
      violations: violations(report),
      finished,
      timeline,
      tableName: plane.infrastructure.tableName,
      endedAt: plane.clock.now(),
    };
  } finally {
    await plane.close();
  }
}

function progressLine(plane: LocalControlPlane, start: number): string {
  const jobs = plane.fake.jobs();
  const count = (status: string) => jobs.filter((j) => j.status === status).length;
  const fleet = plane.observer.snapshot();
  return (
    `t+${minutesLabel(plane.clock.nowMs() - start)}  queued ${String(count('queued')).padStart(3)}` +
    `  running ${String(count('in_progress')).padStart(3)}  completed ${String(count('completed')).padStart(3)}` +
    `  machines alive ${String(fleet.alive).padStart(3)} (peak ${fleet.peakAlive})  launched ${fleet.launched}`
  );
}
