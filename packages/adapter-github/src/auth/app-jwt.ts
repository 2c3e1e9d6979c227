import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { ConfigurationError } from '@hangar/core';

/** GitHub accepts App JWTs for at most 10 minutes; 9 leaves room for clock drift. */
const LIFETIME_S = 9 * 60;
/** Backdated, as GitHub recommends, so a server clock slightly behind ours still accepts it. */
const BACKDATE_S = 60;

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Parses an App private key (PKCS#1 as GitHub hands it out, or PKCS#8); bad keys fail at startup. */
export function parseAppKey(appId: number, pem: string): KeyObject {
  try {
    return createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  } catch (cause) {
    throw new ConfigurationError([`GitHub App ${appId}: private key is not a valid PEM RSA key`], { cause });
  }
}

/**
 * A `createJwt` for `@octokit/auth-app`: RS256 App JWTs with a random `jti`, so JWTs signed in
 * the same second by concurrent invocations are still distinct tokens. `timeDifference` is
 * auth-app's correction after GitHub rejected a JWT for clock skew.
 */
export function appJwtSigner(
  appId: number,
  key: KeyObject,
  nowMs: () => number,
): (appIdArg: string | number, timeDifference?: number) => Promise<{ jwt: string; expiresAt: string }> {
  return async (_appIdArg, timeDifference = 0) => {
    const now = Math.floor(nowMs() / 1000) + timeDifference;
    const claims = { iat: now - BACKDATE_S, exp: now + LIFETIME_S, iss: appId, jti: randomUUID() };
    const unsigned = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`;
    const signature = sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url');
    return { jwt: `${unsigned}.${signature}`, expiresAt: new Date((now + LIFETIME_S) * 1000).toISOString() };
  };
}
