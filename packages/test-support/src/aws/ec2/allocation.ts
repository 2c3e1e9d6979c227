import { createHash } from 'node:crypto';
import type { Candidate } from './fleet-request';
import { str } from './query';
import type { Ec2World } from './state';
import type { Ec2Market } from './types';

type Key = (c: Candidate) => number;

/** Sorts by the keys in turn (ascending), then by request order. */
const by =
  (...keys: Key[]) =>
  (a: Candidate, b: Candidate): number => {
    for (const key of keys) {
      const d = key(a) - key(b);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return a.order - b.order;
  };

/**
 * The order in which an instant fleet tries its overrides for one market, following the
 * CreateFleet reference: override `Priority` counts only for on-demand `prioritized` and spot
 * `capacity-optimized-prioritized` (where it yields to capacity: pools with none left go
 * last). `lowest-price` is cheapest first by the emulator's price table for the market;
 * `capacity-optimized` is the pool with the most capacity left (no rule = unlimited);
 * `price-capacity-optimized` the cheapest of the deepest pools; `diversified` any pool.
 * Whatever the strategy leaves equal is broken by a hash of the world's allocation seed,
 * the instance type and the subnet: deterministic for a seed, never request order, so a
 * test cannot pass by relying on order meaning preference where EC2 does not promise it.
 */
export function allocationOrder(
  world: Ec2World,
  candidates: readonly Candidate[],
  market: Ec2Market,
  strategy: string,
): Candidate[] {
  const type = (c: Candidate) => str(c.override, 'InstanceType') ?? '';
  const subnet = (c: Candidate) => str(c.override, 'SubnetId') ?? '';
  const priority: Key = (c) => Number(str(c.override, 'Priority') ?? Number.POSITIVE_INFINITY);
  const price: Key = (c) => Number(world.price(market, type(c)));
  const deepest: Key = (c) => -world.capacityLeft(market, type(c), subnet(c));
  const exhausted: Key = (c) => (world.capacityLeft(market, type(c), subnet(c)) > 0 ? 0 : 1);
  const tie: Key = (c) => tieBreak(world.allocationSeed, type(c), subnet(c));
  const sorted = [...candidates];
  if (market === 'on-demand' && strategy === 'prioritized') return sorted.sort(by(priority));
  switch (strategy) {
    case 'capacity-optimized-prioritized':
      return sorted.sort(by(exhausted, priority));
    case 'lowest-price':
      return sorted.sort(by(price, tie));
    case 'capacity-optimized':
      return sorted.sort(by(deepest, tie));
    case 'price-capacity-optimized':
      return sorted.sort(by(deepest, price, tie));
    default:
      return sorted.sort(by(tie));
  }
}

/** A number in [0, 2^32) from the seed and the pool: stable across runs for one seed. */
function tieBreak(seed: string, instanceType: string, subnetId: string): number {
  return createHash('sha256').update(`${seed}\0${instanceType}\0${subnetId}`).digest().readUInt32BE(0);
}
