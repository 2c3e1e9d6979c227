import { describe, it } from '@jest/globals';

/** Where this jest run's moto listens, or why there is none (set by jest's global setup). */
export function sharedMoto(): { readonly endpoint: string } | { readonly unavailable: string } {
  const endpoint = process.env.HANGAR_TEST_MOTO_ENDPOINT;
  if (endpoint) return { endpoint };
  return {
    unavailable:
      process.env.HANGAR_TEST_MOTO_UNAVAILABLE ??
      'jest global setup started no moto (run through jest.config.js)',
  };
}

/** The moto endpoint of this run; throws when there is none (only inside `describeWithMoto`). */
export function motoEndpoint(): string {
  const moto = sharedMoto();
  if ('unavailable' in moto) throw new Error(moto.unavailable);
  return moto.endpoint;
}

/**
 * `describe` for suites that run against moto. moto is installed on every machine and in CI,
 * so these run; where python3 cannot import moto the suite fails and says why (a skipped
 * reference check would let a wrong belief about AWS pass unnoticed).
 */
export function describeWithMoto(name: string, body: () => void): void {
  const moto = sharedMoto();
  if ('endpoint' in moto) {
    describe(`${name} (moto)`, body);
    return;
  }
  describe(`${name} (moto)`, () => {
    it('runs against moto', () => {
      throw new Error(`moto is unavailable, so this reference check cannot run: ${moto.unavailable}`);
    });
  });
}
