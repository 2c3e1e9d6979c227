import { describe } from '@jest/globals';

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
 * so these run; where python3 cannot import moto the suite is skipped and says why.
 */
export function describeWithMoto(name: string, body: () => void): void {
  const moto = sharedMoto();
  if ('endpoint' in moto) {
    describe(`${name} (moto)`, body);
    return;
  }
  console.warn(`Skipping "${name}" against moto: ${moto.unavailable}`);
  describe.skip(`${name} (moto unavailable: ${moto.unavailable})`, body);
}
