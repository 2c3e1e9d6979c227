/**
 * A small seeded PRNG (xorshift32 over a splitmix-style seed scramble): fast, and with one
 * independent stream per name (`fork`), so turning one fault family off does not change the
 * random choices of the others. Not for cryptography.
 */
export class Rng {
  private state: number;

  constructor(private readonly seed: number) {
    this.state = scramble(seed) || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An independent stream derived from this one's seed and a name. */
  fork(name: string): Rng {
    let h = (this.seed ^ 0x85ebca6b) >>> 0;
    for (let i = 0; i < name.length; i += 1) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }
}

function scramble(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The seed of schedule `index` of a run started with `base`: printed, and replayable alone. */
export function scheduleSeed(base: number, index: number): number {
  return scramble((base * 0x10001 + index * 0x9e3779b1) >>> 0);
}
