/**
 * Randomized fault schedules over Hangar's handlers (in-memory world, real use cases and
 * handler code), with invariants checked at every step. Prints the figures, every class of
 * violation with replayable seeds, and exits 1 when a schedule broke an invariant.
 *
 *   pnpm chaos -- --schedules 10000 [--seed N] [--faults all|a,b,c] [--ablations 20] [--real K] [--minutes M]
 *     (--minutes M: start no schedule after M minutes; the figures count the schedules run)
 *     (--real K: the first K schedules also run on the local control plane's emulators)
 *     (--shard I/N: only schedules I, I+N, I+2N…, so N processes share the run; --json FILE keeps the figures;
 *      --from K: start at schedule K, to extend a run with schedules K…--schedules-1 without overlap)
 *   pnpm chaos -- --replay SEED [--faults …] [--without a,b]   one schedule, with its whole trace
 */
import { describe, replayCommand, runChaos } from './chaos';
import { parseFamilies } from './faults';
import { startDynamoDbLocal } from '@hangar/test-support';
import { runRealSchedule } from './real';
import { scheduleSeed } from './rng';
import { runSchedule } from './schedule';

const args = process.argv.slice(2).filter((a) => a !== '--');
const text = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const number = (name: string, fallback: number): number => {
  const value = text(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} needs an integer, got ${value}`);
  return n;
};

function parseShard(value: string): { index: number; count: number } {
  const [index, count] = value.split('/').map(Number);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || index! < 0 || count! <= index!)
    throw new Error(`--shard needs I/N with 0 <= I < N, got ${value}`);
  return { index: index!, count: count! };
}

const allowed = parseFamilies(text('faults') ?? 'all');
const replay = text('replay');
if (replay !== undefined) {
  const seed = Number(replay);
  const without = parseFamilies(text('without') ?? 'none');
  const probe = await runSchedule({ seed, allowed });
  const faults = new Set(probe.faults.filter((family) => !without.has(family)));
  const result = await runSchedule({ seed, allowed, forceFaults: faults, fullTrace: true });
  console.log(
    `schedule ${seed}: pools ${JSON.stringify(result.topology.pools.map((p) => ({ id: p.id, ephemeral: p.ephemeral, max: p.maxRunners, compute: p.compute.kind, capacity: p.capacity })))}`,
  );
  console.log(`jobs ${JSON.stringify(result.topology.jobs)}`);
  console.log(
    `faults on: ${result.faults.join(', ') || 'none'}; injected ${JSON.stringify(result.injected)}`,
  );
  for (const line of result.trace ?? []) console.log(line);
  for (const v of result.violations) console.log(`VIOLATION ${v.invariant}: ${v.detail}`);
  console.log(result.violations.length === 0 ? 'no violation' : `replay: ${replayCommand(seed, allowed)}`);
  process.exitCode = result.violations.length === 0 ? 0 : 1;
} else {
  const schedules = number('schedules', 200);
  const seed = number('seed', Date.now() % 2 ** 31);
  console.log(`chaos: ${schedules} schedules, seed ${seed}`);
  const report = await runChaos({
    schedules,
    seed,
    allowed,
    ablations: number('ablations', 20),
    ...(text('minutes') === undefined ? {} : { stopAfterMs: number('minutes', 0) * 60_000 }),
    ...(text('shard') === undefined ? {} : { shard: parseShard(text('shard') ?? '') }),
    from: number('from', 0),
    progress: (done, failing) => {
      if (done % 100 === 0 || done === schedules)
        process.stderr.write(`\r${done} / ${schedules} (${failing} failing)`);
    },
  });
  process.stderr.write('\n');
  console.log(describe(report));
  const json = text('json');
  if (json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(json, JSON.stringify(report, null, 2));
  }
  let realFailing = 0;
  const real = number('real', 0);
  if (real > 0) {
    // One DynamoDB Local for the whole sample (it takes a while to start on a loaded machine).
    const dynamo = await startDynamoDbLocal(180_000);
    try {
      for (let index = 0; index < real; index += 1) {
        const result = await runRealSchedule(scheduleSeed(seed, index), allowed, dynamo.endpoint);
        if (result.violations.length > 0) realFailing += 1;
        console.log(
          `real emulators, schedule ${result.seed} (faults ${result.faults.join(', ') || 'none'}): ${result.jobs} jobs, ${result.machines} machines, ${result.deadLetters} dead letters, ${result.simulatedMinutes} simulated minutes in ${result.wallSeconds.toFixed(0)} s`,
        );
        for (const violation of result.violations) console.log(`  VIOLATION ${violation}`);
      }
    } finally {
      await dynamo.stop();
    }
    console.log(`real emulators: ${real} schedules, ${realFailing} with a violation`);
  }
  process.exitCode = report.failingSchedules === 0 && realFailing === 0 ? 0 : 1;
}
