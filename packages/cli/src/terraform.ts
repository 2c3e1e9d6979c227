import { spawnSync } from 'node:child_process';

/** What the CLI takes from the multi-runner module's outputs (infra/modules/multi-runner/outputs.tf). */
export interface TerraformTarget {
  readonly tableName: string;
  /** Read from the queue URLs (`https://sqs.<region>.amazonaws.com/...`); null when absent. */
  readonly region: string | null;
  readonly pools: readonly { readonly id: string; readonly maxRunners: number }[];
}

type Outputs = Record<string, { readonly value?: unknown } | undefined>;

/**
 * The outputs of a root module that calls the multi-runner module: either passed through at
 * the top level (`table_name`, `pools_json`, `queues`) or nested in one object output.
 */
export function targetFromOutputs(outputs: Outputs): TerraformTarget | { readonly problem: string } {
  const flat: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(outputs)) {
    flat[name] = output?.value;
    const value = output?.value;
    if (value && typeof value === 'object' && 'table_name' in value) Object.assign(flat, value);
  }
  const tableName = flat.table_name;
  if (typeof tableName !== 'string' || tableName === '') {
    return {
      problem: "no table_name output (export the multi-runner module's table_name, pools_json and queues)",
    };
  }
  const queues = flat.queues as Record<string, unknown> | undefined;
  const queueUrl = Object.values(queues ?? {}).find((url): url is string => typeof url === 'string');
  const region = queueUrl ? (/sqs[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(queueUrl)?.[1] ?? null) : null;
  return { tableName, region, pools: poolsOf(flat.pools_json) };
}

/** `pools_json` (a JSON string or already decoded): each pool's id and maxRunners. */
export function poolsOf(value: unknown): { id: string; maxRunners: number }[] {
  let pools: unknown = value;
  if (typeof value === 'string') {
    try {
      pools = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  const list = Array.isArray(pools)
    ? pools
    : Array.isArray((pools as { pools?: unknown })?.pools)
      ? (pools as { pools: unknown[] }).pools
      : [];
  return list.flatMap((pool) => {
    const { id, maxRunners } = (pool ?? {}) as { id?: unknown; maxRunners?: unknown };
    return typeof id === 'string'
      ? [{ id, maxRunners: typeof maxRunners === 'number' ? maxRunners : -1 }]
      : [];
  });
}

/** Runs `terraform output -json` in `dir`. */
export function terraformOutputs(dir: string): Outputs | { readonly problem: string } {
  const result = spawnSync('terraform', ['output', '-json'], { cwd: dir, encoding: 'utf8' });
  if (result.error) return { problem: `could not run terraform in ${dir}: ${result.error.message}` };
  if (result.status !== 0)
    return { problem: `terraform output -json failed in ${dir}: ${result.stderr.trim()}` };
  try {
    return JSON.parse(result.stdout) as Outputs;
  } catch {
    return { problem: `terraform output -json in ${dir} did not print JSON` };
  }
}
