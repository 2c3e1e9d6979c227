// The cost model of `policy-check --compare`: machine-minutes × an hourly price per pool.
// EC2: the pool's first instance type at its on-demand price, times SPOT_FACTOR for spot pools;
// Fargate: one task of 2 vCPU / 4 GB. Prices are approximate us-east-1 Linux list prices; a
// --prices FILE ({ "m7i.large": 0.1008, "fargate": 0.0987, "spotFactor": 0.35 }) overrides them.
import type { PoolConfig } from '../../packages/core/src/index';

export const ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, number>> = {
  'm7i.large': 0.1008,
  'm7i.xlarge': 0.2016,
  'm7i.2xlarge': 0.4032,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm5.large': 0.096,
  'c7i.large': 0.0893,
  'c6i.large': 0.085,
  'm7g.large': 0.0816,
  'c7g.large': 0.0725,
  't3.large': 0.0832,
  // 2 vCPU × $0.04048 + 4 GB × $0.004445 per hour.
  fargate: 0.0987,
};
/** Spot is billed well below on-demand; 0.35 is a typical discount for these families. */
export const SPOT_FACTOR = 0.35;
const UNKNOWN_TYPE_USD_PER_HOUR = 0.1;

export interface PoolPrice {
  readonly pool: string;
  readonly usdPerHour: number;
  /** How the price was chosen, for the report. */
  readonly basis: string;
}

/** The instance types each pool names in the raw configuration (any form that lists `pools`). */
export function instanceTypesOf(raw: unknown): Record<string, readonly string[]> {
  const pools = (raw as { pools?: unknown })?.pools;
  const found: Record<string, readonly string[]> = {};
  if (!Array.isArray(pools)) return found;
  for (const pool of pools as { id?: unknown; compute?: { instanceTypes?: unknown } }[]) {
    const types = pool?.compute?.instanceTypes;
    if (typeof pool?.id === 'string' && Array.isArray(types))
      found[pool.id] = types.filter((t) => typeof t === 'string');
  }
  return found;
}

export function poolPrice(
  pool: PoolConfig,
  instanceTypes: readonly string[] | undefined,
  prices: Readonly<Record<string, number>> = {},
): PoolPrice {
  const table = { ...ON_DEMAND_USD_PER_HOUR, ...prices };
  if (pool.compute === 'fargate') {
    return { pool: pool.id, usdPerHour: table.fargate ?? 0.0987, basis: 'Fargate task, 2 vCPU / 4 GB' };
  }
  const type = instanceTypes?.[0];
  const known = type !== undefined ? table[type] : undefined;
  const onDemand = known ?? UNKNOWN_TYPE_USD_PER_HOUR;
  const spot = pool.capacity.type === 'spot';
  const factor = prices.spotFactor ?? SPOT_FACTOR;
  return {
    pool: pool.id,
    usdPerHour: spot ? onDemand * factor : onDemand,
    basis: `${type ?? 'unknown type'}${known === undefined ? ' (price unknown: $0.10/h assumed)' : ''}, ${spot ? `spot (× ${factor})` : 'on-demand'}`,
  };
}

/** Estimated cost in USD of the machine-minutes each pool used. */
export function estimatedCost(
  minutesByPool: Readonly<Record<string, number>>,
  prices: readonly PoolPrice[],
): number {
  return prices.reduce((sum, price) => sum + ((minutesByPool[price.pool] ?? 0) * price.usdPerHour) / 60, 0);
}
