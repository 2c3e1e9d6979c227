import { parseArgs } from 'node:util';
import { createEventStoreClient, DynamoDbEventStore } from '@hangar/adapter-aws';
import { HangarError, type ReadDeps } from '@hangar/core';
import { runCommand, type CommandName } from './commands';
import { resolveTarget, type Target } from './target';
import { style } from './render/text';
import type { CliIo } from './io';
import { EXIT, USAGE } from './usage';

export type { CliIo } from './io';

const COMMANDS: readonly CommandName[] = ['job', 'runner', 'pools', 'waiting'];

/** Runs one `hangar` invocation; resolves to the exit code (see usage.ts). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        table: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        terraform: { type: 'string' },
        pools: { type: 'string' },
        json: { type: 'boolean', default: false },
        now: { type: 'string' },
        window: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (!command || !COMMANDS.includes(command as CommandName)) {
    return usage(io, command ? `unknown command "${command}"` : 'give a command');
  }
  const now = values.now ?? io.now();
  if (Number.isNaN(Date.parse(now))) return usage(io, `--now must be an ISO-8601 time, got "${now}"`);
  const window = values.window === undefined ? 60 : Number(values.window);
  if (!Number.isInteger(window) || window <= 0)
    return usage(io, '--window must be a whole number of minutes');
  const target = resolveTarget(values, io.env);
  if ('problem' in target) return usage(io, target.problem);
  const store = storeFor(target);
  const colour = io.isTty && !values['no-color'] && io.env.NO_COLOR === undefined;
  try {
    return await runCommand(command as CommandName, rest, {
      deps: store.deps,
      now: new Date(now).toISOString(),
      json: values.json,
      window,
      pools: target.pools,
      style: style(colour),
      io,
    });
  } catch (error) {
    if (!(error instanceof HangarError)) throw error;
    io.err(
      `hangar: could not read table ${target.tableName} in ${target.region}${target.endpoint ? ` at ${target.endpoint}` : ''}: ${error.message}`,
    );
    return EXIT.unreadable;
  } finally {
    store.close();
  }
}

function usage(io: CliIo, problem: string): number {
  io.err(`hangar: ${problem}\n\n${USAGE}`);
  return EXIT.usage;
}

function storeFor(target: Target): { deps: ReadDeps; close(): void } {
  const client = createEventStoreClient({
    region: target.region,
    ...(target.endpoint
      ? {
          endpoint: target.endpoint,
          // DynamoDB Local accepts any credentials (the demo runs it with a shared database).
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  const store = new DynamoDbEventStore({ client, tableName: target.tableName });
  return {
    deps: { eventStore: store, snapshots: store, index: store, history: store },
    close: () => client.destroy(),
  };
}
