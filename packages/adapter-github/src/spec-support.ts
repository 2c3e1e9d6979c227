import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startFakeGitHub,
  type FakeApp,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '@hangar/test-support/github';
import { createGitHubClients, type AppPool, type GitHubClientSettings } from './auth/app-pool';

/** Short back-off so retry specs take milliseconds; waits on `retry-after` stay real. */
export const FAST_BOUNDS = { maxRetries: 2, maxWaitSeconds: 10, retryBaseDelayMs: 5, writeIntervalMs: 0 };

export interface GitHubWorld {
  readonly fake: FakeGitHub;
  readonly app: FakeApp;
  readonly installationId: number;
  pool(overrides?: Partial<GitHubClientSettings>): AppPool;
  /** Calls the fake saw on one route, e.g. `POST /app/installations/{installation_id}/access_tokens`. */
  calls(route: string): number;
}

/** A fake GitHub with one App installed on organisation `acme` (repos `acme/web`, `acme/api`). */
export async function startWorld(options: FakeGitHubOptions = {}): Promise<GitHubWorld> {
  const fake = await startFakeGitHub(options);
  const app = fake.addApp();
  fake.addRepo('acme/web');
  fake.addRepo('acme/api');
  const installationId = fake.install(app.appId, 'acme');
  return {
    fake,
    app,
    installationId,
    pool: (overrides = {}) =>
      createGitHubClients({ apps: [app], baseUrl: fake.url, bounds: FAST_BOUNDS, ...overrides }),
    calls: (route) => fake.calls().byRoute[route] ?? 0,
  };
}

export const TOKEN_ROUTE = 'POST /app/installations/{installation_id}/access_tokens';
export const ORG_INSTALLATION_ROUTE = 'GET /orgs/{org}/installation';
export const LIST_ORG_RUNNERS_ROUTE = 'GET /orgs/{org}/actions/runners';

/** A key and self-signed certificate for 127.0.0.1 (a GHES whose CA Node does not trust). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
