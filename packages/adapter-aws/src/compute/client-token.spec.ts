import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clientTokenFor } from './client-token';
import { classifyFailure } from './fargate-request';

describe('clientTokenFor', () => {
  it('maps every idempotency key to an ASCII token of at most 64 characters, the same each time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (key) => {
        const token = clientTokenFor('hangar-prod', key);
        expect(token).toMatch(/^[a-z0-9-]{1,64}$/);
        expect(clientTokenFor('hangar-prod', key)).toBe(token);
      }),
    );
  });

  it('gives different keys different tokens', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(clientTokenFor('hangar-prod', a)).not.toBe(clientTokenFor('hangar-prod', b));
      }),
    );
  });

  it('gives two deployments different tokens for one key (tokens are per account and region)', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        expect(clientTokenFor('hangar-blue', key)).not.toBe(clientTokenFor('hangar-green', key));
      }),
    );
  });
});

describe('classifyFailure (RunTask failures)', () => {
  it.each([
    ['RESOURCE:MEMORY', 'insufficient-capacity', true],
    ['RESOURCE:ENI', 'insufficient-capacity', true],
    [
      'Capacity is unavailable at this time. Please try again later or in a different availability zone',
      'insufficient-capacity',
      true,
    ],
    ['MISSING', 'invalid-configuration', false],
    ['INACTIVE', 'invalid-configuration', false],
    ['AGENT', 'unknown', true],
  ] as const)('classifies %s as %s (retryable: %s)', (reason, expected, retryable) => {
    expect(classifyFailure(reason)).toEqual({ reason: expected, retryable });
  });
});
