import { readFileSync } from 'node:fs';
import { poolsOf, targetFromOutputs, terraformOutputs } from './terraform';

/** Where the CLI reads: one event-store table, and the pools' maxima when known. */
export interface Target {
  readonly tableName: string;
  readonly region: string;
  /** DynamoDB Local (the demo); null on AWS, where the standard credential chain applies. */
  readonly endpoint: string | null;
  readonly pools: readonly { readonly id: string; readonly maxRunners: number }[];
}

export interface TargetFlags {
  readonly table?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly terraform?: string;
  readonly pools?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Flags win, then the Terraform outputs (`--terraform DIR`), then the environment
 * (`HANGAR_TABLE`, `HANGAR_DYNAMODB_ENDPOINT`, `AWS_REGION` / `AWS_DEFAULT_REGION`).
 */
export function resolveTarget(flags: TargetFlags, env: Env): Target | { readonly problem: string } {
  let fromTerraform: ReturnType<typeof targetFromOutputs> | null = null;
  if (flags.terraform) {
    const outputs = terraformOutputs(flags.terraform);
    if ('problem' in outputs && typeof outputs.problem === 'string') return { problem: outputs.problem };
    fromTerraform = targetFromOutputs(outputs as Parameters<typeof targetFromOutputs>[0]);
    if ('problem' in fromTerraform) return fromTerraform;
  }
  const tf = fromTerraform && !('problem' in fromTerraform) ? fromTerraform : null;
  const tableName = flags.table ?? tf?.tableName ?? env.HANGAR_TABLE;
  if (!tableName) return { problem: 'which table? give --table NAME, --terraform DIR or set HANGAR_TABLE' };
  const endpoint = flags.endpoint ?? env.HANGAR_DYNAMODB_ENDPOINT ?? null;
  const region =
    flags.region ?? tf?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : null);
  if (!region) return { problem: 'which region? give --region, --terraform DIR or set AWS_REGION' };
  let pools = tf?.pools ?? [];
  if (flags.pools) {
    try {
      pools = poolsOf(readFileSync(flags.pools, 'utf8'));
    } catch (error) {
      return {
        problem: `--pools ${flags.pools} could not be read: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  return { tableName, region, endpoint, pools };
}
