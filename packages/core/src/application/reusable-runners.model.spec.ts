import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runnerStreamId } from '../runner/runner.decider';
import { RunnerId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import type { WorkflowJobFact } from './workflow-job-fact';
import { applyJobEvent } from './apply-job-event';
import { recordWorkflowJob } from './record-workflow-job';
import { scaleDown } from './scale-down';
import { scaleUp } from './scale-up';

/**
 * Reusable runners against a model of GitHub (fc.commands): GitHub gives queued jobs to idle
 * runners, jobs finish, and the `workflow_job` deliveries about them arrive in any order and
 * any number of times; GitHub's own busy flag (the 422 guard) lags behind the truth. The
 * invariant: a runner whose running job Hangar was told about (its `in_progress` arrived) is
 * never selected for termination, and its machine is never terminated.
 */
interface World {
  readonly fx: ScalerFixture;
  nextJob: number;
  queued: string[];
  /** Runner name → the job it truly runs now. */
  readonly running: Map<string, string>;
  /** Jobs whose `in_progress` was delivered at least once. */
  readonly announced: Set<string>;
  /** Deliveries not made yet (a bag: any may come next). */
  readonly bag: WorkflowJobFact[];
  /** Busy-flag changes GitHub's API does not show yet, oldest first. */
  readonly lag: { name: string; busy: boolean }[];
  readonly violations: string[];
}

type Command = fc.AsyncCommand<World, World>;
const ORG = { level: 'org', owner: 'acme' } as const;

async function deliver(world: World, fact: WorkflowJobFact): Promise<void> {
  const { fx } = world;
  if (fact.action === 'in_progress') world.announced.add(fact.jobId);
  await recordWorkflowJob(fx.deps, fact);
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'model');
  for (const message of fx.jobEventsQueue.take()) await applyJobEvent(fx.deps, message);
}

const command = (name: string, check: (w: World) => boolean, run: (w: World) => Promise<void>): Command => ({
  check,
  run: async (_model, world) => run(world),
  toString: () => name,
});

const queueJob = command(
  'queue',
  (w) => w.nextJob < 2010,
  async (w) => {
    w.nextJob += 1;
    w.queued.push(String(w.nextJob));
    w.bag.push(workflowJobFact('queued', w.nextJob, w.fx.clock.now()));
  },
);

const deliverOne = (pick: number, duplicate: boolean): Command =>
  command(
    `deliver(${pick},${duplicate})`,
    (w) => w.bag.length > 0,
    async (w) => {
      const [fact] = w.bag.splice(pick % w.bag.length, 1);
      if (!fact) return;
      if (duplicate) w.bag.push(fact);
      await deliver(w, fact);
    },
  );

/** Machines boot: each reads its registration token and registers itself, online and idle. */
const boot = command(
  'boot',
  () => true,
  async (w) => {
    for (const machine of w.fx.ec2.machines.values()) {
      const runnerId = machine.view.runnerId;
      if (!runnerId || machine.view.state === 'terminated') continue;
      const ref = w.fx.secrets.refOf(runnerId);
      const secret = ref && (await w.fx.secrets.get(ref));
      if (!ref || !secret) continue;
      await w.fx.secrets.delete(ref);
      const { name } = JSON.parse(secret) as { name: string };
      w.fx.registry.selfRegister(name, ORG, ['self-hosted', 'linux', 'x64']);
    }
  },
);

/** GitHub hands the oldest queued job to an online runner that truly runs nothing. */
const assign = command(
  'assign',
  (w) => w.queued.length > 0,
  async (w) => {
    for (const registration of w.fx.registry.registrations.values()) {
      const jobId = w.queued[0];
      if (!jobId || registration.status !== 'online' || w.running.has(registration.name)) continue;
      w.queued.shift();
      w.running.set(registration.name, jobId);
      w.lag.push({ name: registration.name, busy: true });
      w.bag.push(workflowJobFact('in_progress', jobId, w.fx.clock.now(), { runnerName: registration.name }));
    }
  },
);

const finish = (pick: number): Command =>
  command(
    `finish(${pick})`,
    (w) => w.running.size > 0,
    async (w) => {
      const [name, jobId] = [...w.running.entries()][pick % w.running.size] ?? [];
      if (!name || !jobId) return;
      w.running.delete(name);
      w.lag.push({ name, busy: false });
      w.bag.push(workflowJobFact('completed', jobId, w.fx.clock.now(), { runnerName: name }));
    },
  );

/** GitHub's busy flag catches up by one change. */
const catchUp = command(
  'catch-up',
  (w) => w.lag.length > 0,
  async (w) => {
    const change = w.lag.shift();
    if (change) w.fx.registry.setRunner(change.name, { busy: change.busy });
  },
);

const runnerIdOf = (name: string) => RunnerId(name.replace(/^hgr-/, ''));

const tick = (minutes: number): Command =>
  command(
    `tick(${minutes})`,
    () => true,
    async (w) => {
      const { fx } = w;
      fx.clock.advanceSeconds(minutes * 60);
      const protectedRunners = [...w.running].filter(
        ([name, jobId]) => w.announced.has(jobId) && fx.ec2.aliveFor(runnerIdOf(name)),
      );
      const versions = new Map<string, number>();
      for (const [name] of protectedRunners) {
        versions.set(name, (await fx.store.readStream(runnerStreamId(runnerIdOf(name)))).version);
      }
      await scaleDown(fx.deps, 'model');
      for (const [name, jobId] of protectedRunners) {
        const { events } = await fx.store.readStream(runnerStreamId(runnerIdOf(name)), {
          afterVersion: versions.get(name) ?? 0,
        });
        if (events.some((event) => event.type === 'RunnerTerminationRequested'))
          w.violations.push(`${name} selected for termination while running job ${jobId}`);
        if (!fx.ec2.aliveFor(runnerIdOf(name)))
          w.violations.push(`${name} terminated while running job ${jobId}`);
      }
      // A job whose runner vanished before Hangar heard of it fails (GitHub's 422 guard lagged).
      for (const [name, jobId] of [...w.running]) {
        if (fx.ec2.aliveFor(runnerIdOf(name))) continue;
        w.running.delete(name);
        w.bag.push(
          workflowJobFact('completed', jobId, fx.clock.now(), { runnerName: name, conclusion: 'failure' }),
        );
      }
    },
  );

const deliverArb = fc.tuple(fc.nat(), fc.boolean()).map(([pick, duplicate]) => deliverOne(pick, duplicate));
const commands = [
  fc.constant(queueJob),
  deliverArb,
  deliverArb,
  deliverArb,
  fc.constant(boot),
  fc.constant(assign),
  fc.constant(assign),
  fc.nat().map(finish),
  fc.nat().map(finish),
  fc.constant(catchUp),
  fc.integer({ min: 1, max: 8 }).map(tick),
];

describe('reusable runners model', () => {
  it('with job deliveries reordered and duplicated and a lagging busy flag, no runner running an announced job is selected for termination or loses its machine', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.commands(commands, { maxCommands: 120, size: 'max' }),
        async (max, minimumRunningTimeMinutes, cmds) => {
          const pool = poolConfig({
            id: 'linux',
            ephemeral: false,
            maxRunners: max,
            minimumRunningTimeMinutes,
          });
          const world: World = {
            fx: scalerFixture(scalerSettings([pool])),
            nextJob: 2000,
            queued: [],
            running: new Map(),
            announced: new Set(),
            bag: [],
            lag: [],
            violations: [],
          };
          await fc.asyncModelRun(() => ({ model: world, real: world }), cmds);
          expect(world.violations).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
