// Helpers for the burst benchmark: metric sums from the handlers' EMF lines, percentiles, and
// API calls per job.

/**
 * The handlers publish metrics as CloudWatch EMF lines on stdout (Powertools); this sums them
 * by name and keeps them off the terminal while installed.
 */
export class EmfCounter {
  private sums = new Map<string, number>();
  private original: typeof process.stdout.write | null = null;

  install(): void {
    const original = process.stdout.write.bind(process.stdout);
    this.original = original;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.startsWith('{"_aws"'))
        return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
      for (const line of text.split('\n')) this.count(line);
      return true;
    }) as typeof process.stdout.write;
  }

  uninstall(): void {
    if (this.original) process.stdout.write = this.original;
  }

  reset(): void {
    this.sums = new Map();
  }

  sum(name: string): number {
    return this.sums.get(name) ?? 0;
  }

  private count(line: string): void {
    if (!line.startsWith('{')) return;
    const record = JSON.parse(line) as {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
      [key: string]: unknown;
    };
    for (const directive of record._aws.CloudWatchMetrics) {
      for (const { Name } of directive.Metrics) {
        const value = record[Name];
        const total = Array.isArray(value)
          ? value.reduce((a: number, b: unknown) => a + Number(b), 0)
          : Number(value);
        this.sums.set(Name, (this.sums.get(Name) ?? 0) + total);
      }
    }
  }
}

/** Nearest-rank percentiles, in the order asked. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
}

const sum = (calls: Readonly<Record<string, number>> | undefined): number =>
  Object.values(calls ?? {}).reduce((a, b) => a + b, 0);

/** API calls per job: DynamoDB by operation, and the throttled APIs (GitHub + EC2 + SSM). */
export function perJob(
  aws: Readonly<Record<string, Readonly<Record<string, number>>>>,
  github: number,
  jobs: number,
): Record<string, unknown> {
  const round = (n: number): number => Number((n / jobs).toFixed(2));
  const dynamodb = aws.dynamodb ?? {};
  return {
    dynamodb: round(sum(dynamodb)),
    dynamodbByOperation: Object.fromEntries(Object.entries(dynamodb).map(([op, n]) => [op, round(n)])),
    github: round(github),
    ec2: round(sum(aws.ec2)),
    ssm: round(sum(aws.ssm)),
    throttled: round(github + sum(aws.ec2) + sum(aws.ssm)),
    sqs: round(sum(aws.sqs)),
  };
}
