import { randomBytes, verify } from 'node:crypto';
import { HttpError, type Caller, type RouteAuth } from './http-kit';
import type { FakeGitHubState } from './state';

const TOKEN_TTL_MS = 60 * 60 * 1000;
/** GitHub refuses App JWTs that live longer than 10 minutes (plus a little clock skew). */
const MAX_JWT_LIFETIME_S = 10 * 60 + 60;

/** GitHub's own wording: @octokit/auth-app matches these messages to correct clock skew. */
const EXP_INVALID =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const IAT_INVALID =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const UNDECODABLE = 'A JSON web token could not be decoded';

interface IssuedToken {
  readonly installationId: number;
  readonly expiresAtMs: number;
}

/**
 * App JWT verification and installation tokens. Runs on the auth clock (real time by default)
 * because Octokit signs JWTs and caches tokens on the machine's clock, not the simulation's.
 */
export class AppAuth {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly state: FakeGitHubState,
    private readonly authNow: () => number,
  ) {}

  /** Issues a one-hour installation token (`ghs_...`). */
  issueToken(installationId: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
    const expiresAtMs = this.authNow() + TOKEN_TTL_MS;
    this.tokens.set(token, { installationId, expiresAtMs });
    return { token, expiresAt: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  /** Makes every installation token invalid, as after an hour (forces Octokit to fetch new ones). */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Resolves the `Authorization` header for a route that needs `auth`; returns 401 errors as values. */
  resolve(authorization: string | undefined, auth: RouteAuth): Caller | HttpError {
    const credential = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (auth === 'none') {
      const caller = credential ? this.installationCaller(credential) : undefined;
      return caller instanceof HttpError || caller === undefined ? { kind: 'anonymous' } : caller;
    }
    if (!credential) {
      return new HttpError(401, auth === 'app' ? UNDECODABLE : 'Requires authentication');
    }
    return auth === 'app' ? this.appCaller(credential) : this.installationCaller(credential);
  }

  private installationCaller(token: string): Caller | HttpError {
    const issued = this.tokens.get(token);
    const installation = issued && this.state.installations.get(issued.installationId);
    if (!issued || !installation || issued.expiresAtMs <= this.authNow()) {
      return new HttpError(401, 'Bad credentials');
    }
    return { kind: 'installation', installation };
  }

  private appCaller(jwt: string): Caller | HttpError {
    const parts = jwt.split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || !header || !payload || !signature) return new HttpError(401, UNDECODABLE);
    const claims = parseJson(header) as { alg?: unknown } | undefined;
    const body = parseJson(payload) as { iss?: unknown; exp?: unknown; iat?: unknown } | undefined;
    if (claims?.alg !== 'RS256' || !body) return new HttpError(401, UNDECODABLE);
    const app = this.state.apps.get(Number(body.iss));
    if (!app) return new HttpError(401, 'Integration not found');
    const signed = Buffer.from(`${header}.${payload}`);
    if (!verify('RSA-SHA256', signed, app.publicKey, Buffer.from(signature, 'base64url'))) {
      return new HttpError(401, UNDECODABLE);
    }
    const nowS = Math.floor(this.authNow() / 1000);
    if (!Number.isInteger(body.iat) || (body.iat as number) > nowS + 60)
      return new HttpError(401, IAT_INVALID);
    if (typeof body.exp !== 'number' || body.exp <= nowS) return new HttpError(401, EXP_INVALID);
    if (body.exp > nowS + MAX_JWT_LIFETIME_S) return new HttpError(401, EXP_TOO_FAR);
    return { kind: 'app', appId: app.id };
  }
}

function parseJson(base64url: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
