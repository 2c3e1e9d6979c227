import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` (`sha256=<hex HMAC>`) over the exact raw bytes against every
 * secret (several during a rotation). Digests are compared with `timingSafeEqual`, so the time
 * taken says nothing about how much of a forged signature was right.
 */
export function signatureMatches(raw: Uint8Array, header: string, secrets: readonly string[]): boolean {
  const given = SIGNATURE.exec(header.trim())?.[1];
  if (given === undefined) return false;
  const givenDigest = Buffer.from(given, 'hex');
  let matched = false;
  // Every secret is tried (no early exit), so timing does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (expected.length === givenDigest.length && timingSafeEqual(expected, givenDigest)) matched = true;
  }
  return matched;
}
