import {
  describeJob,
  describePools,
  describeRunner,
  listWaiting,
  type IsoTime,
  type ReadDeps,
} from '@hangar/core';
import type { CliIo } from './io';
import { parseJobRef } from './job-ref';
import { renderJob } from './render/job';
import { renderPools, renderWaiting } from './render/lists';
import { renderRunner } from './render/runner';
import type { Style } from './render/text';
import { EXIT, USAGE } from './usage';

export type CommandName = 'job' | 'runner' | 'pools' | 'waiting';

export interface CommandContext {
  readonly deps: ReadDeps;
  readonly now: IsoTime;
  readonly json: boolean;
  readonly window: number;
  readonly pools: readonly { readonly id: string; readonly maxRunners: number }[];
  readonly style: Style;
  readonly io: CliIo;
}

/** Runs one command and prints its answer; resolves to the exit code. */
export async function runCommand(
  name: CommandName,
  args: readonly string[],
  ctx: CommandContext,
): Promise<number> {
  const print = (json: unknown, text: () => string[]) =>
    ctx.io.out(ctx.json ? JSON.stringify(json, null, 2) : text().join('\n'));
  switch (name) {
    case 'job': {
      const jobId = args.length === 1 ? parseJobRef(args[0] as string) : null;
      if (!jobId) return usageError(ctx, 'job takes one job id or job URL');
      const described = await describeJob(ctx.deps, jobId, ctx.now);
      if (!described)
        return notFound(
          ctx,
          `job ${jobId}: nothing recorded (another table or region, or older than the retention)`,
        );
      print({ now: ctx.now, ...described }, () => renderJob(described, ctx.style));
      return EXIT.ok;
    }
    case 'runner': {
      if (args.length !== 1)
        return usageError(ctx, 'runner takes one runner id, instance id, task ARN or runner name');
      const described = await describeRunner(ctx.deps, args[0] as string, ctx.now);
      if (!described)
        return notFound(ctx, `runner ${args[0]}: nothing recorded under that id, instance id or name`);
      print({ now: ctx.now, ...described }, () => renderRunner(described, ctx.style));
      return EXIT.ok;
    }
    case 'waiting': {
      if (args.length > 0) return usageError(ctx, 'waiting takes no argument');
      const waiting = await listWaiting(ctx.deps, ctx.now);
      print({ now: ctx.now, waiting }, () => renderWaiting(waiting, ctx.style));
      return EXIT.ok;
    }
    case 'pools': {
      if (args.length > 0) return usageError(ctx, 'pools takes no argument');
      const { pools, waiting } = await describePools(ctx.deps, ctx.now, ctx.pools, ctx.window);
      print({ now: ctx.now, windowMinutes: ctx.window, pools }, () =>
        renderPools(pools, waiting, ctx.window, ctx.style),
      );
      return EXIT.ok;
    }
  }
}

function usageError(ctx: CommandContext, problem: string): number {
  ctx.io.err(`hangar: ${problem}\n\n${USAGE}`);
  return EXIT.usage;
}

function notFound(ctx: CommandContext, problem: string): number {
  if (ctx.json) ctx.io.out(JSON.stringify({ now: ctx.now, found: false, problem }, null, 2));
  ctx.io.err(`hangar: ${problem}`);
  return EXIT.notFound;
}
