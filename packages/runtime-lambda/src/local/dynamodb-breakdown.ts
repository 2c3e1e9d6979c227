/**
 * The demo's DynamoDB calls by handler × operation × what the call touched (issue 14, target 2:
 * where the calls per job go). Counted where the local control plane already sees every AWS
 * request attempt (`beforeCall`, with the SDK command's input), so it matches the proxy's
 * totals: retries and stopped invocations' calls included.
 */
export type DynamoDbBreakdown = Readonly<Record<string, Readonly<Record<string, number>>>>;

const KINDS = ['job', 'runner', 'pool'] as const;

/** `job`, `runner` or `pool` from a stream id (`job-123`), else `other`. */
function kindOf(streamId: unknown): string {
  if (typeof streamId !== 'string') return 'other';
  return KINDS.find((kind) => streamId.startsWith(`${kind}-`)) ?? 'other';
}

interface Keyed {
  readonly pk?: { readonly S?: string };
  readonly sk?: { readonly S?: string };
}

const stringOf = (value: unknown): string | undefined => (value as { S?: string } | undefined)?.S;

/** Sorted, de-duplicated kinds joined with `+` (`job+runner` for a transaction over both). */
const joined = (kinds: readonly string[]): string => [...new Set(kinds)].sort().join('+') || 'none';

function queryTarget(input: Record<string, unknown>): string {
  const index = input['IndexName'];
  const values = input['ExpressionAttributeValues'] as Record<string, unknown> | undefined;
  const partition = stringOf(values?.[':pk']);
  if (typeof index === 'string') return `index:${index}:${partition?.split('#')[1] ?? '?'}`;
  return input['ScanIndexForward'] === false ? `${kindOf(partition)}(backward)` : kindOf(partition);
}

function transactTarget(input: Record<string, unknown>): string {
  const items = (input['TransactItems'] ?? []) as readonly Record<string, { Key?: Keyed; Item?: Keyed }>[];
  const kinds = items.flatMap((item) => Object.values(item).map((op) => kindOf((op.Key ?? op.Item)?.pk?.S)));
  return joined(kinds);
}

function batchGetTarget(input: Record<string, unknown>): string {
  const tables = (input['RequestItems'] ?? {}) as Record<string, { Keys?: readonly Keyed[] }>;
  const keys = Object.values(tables).flatMap((table) => table.Keys ?? []);
  return `heads:${joined(keys.map((key) => kindOf(key.pk?.S)))}`;
}

/** What one DynamoDB call touched, for the breakdown's column. */
export function dynamoDbTarget(operation: string, input: unknown): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  switch (operation) {
    case 'Query':
      return queryTarget(fields);
    case 'TransactWriteItems':
      return transactTarget(fields);
    case 'BatchGetItem':
      return batchGetTarget(fields);
    default: {
      const key = (fields['Key'] ?? fields['Item']) as Keyed | undefined;
      const kind = kindOf(key?.pk?.S);
      return key?.sk?.S === 'snapshot' ? `${kind}(snapshot)` : kind;
    }
  }
}

/** Counts DynamoDB calls by handler (`outside` for calls no invocation made). */
export class DynamoDbCallCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  count(handler: string | undefined, target: string, input: unknown): void {
    if (!target.startsWith('dynamodb.')) return;
    const operation = target.slice('dynamodb.'.length);
    const name = handler ?? 'outside';
    const row = this.counts.get(name) ?? new Map<string, number>();
    this.counts.set(name, row);
    const key = `${operation} ${dynamoDbTarget(operation, input)}`;
    row.set(key, (row.get(key) ?? 0) + 1);
  }

  snapshot(): DynamoDbBreakdown {
    return Object.fromEntries(
      [...this.counts].map(([handler, row]) => [handler, Object.fromEntries([...row].sort())]),
    );
  }
}
