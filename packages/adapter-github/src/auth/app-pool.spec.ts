import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError, DependencyError, JobId } from '@hangar/core';
import { createAppPrivateKey } from '@hangar/test-support/github';
import { createPublicKey, verify } from 'node:crypto';
import { GitHubRunnerRegistry } from '../runner-registry';
import {
  LIST_ORG_RUNNERS_ROUTE,
  ORG_INSTALLATION_ROUTE,
  startWorld,
  TOKEN_ROUTE,
  type GitHubWorld,
} from '../spec-support';
import { createGitHubClients } from './app-pool';
import { appJwtSigner, parseAppKey } from './app-jwt';

const ORG = { level: 'org', owner: 'acme' } as const;

describe('GitHub App clients', () => {
  let world: GitHubWorld;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.fake.close();
  });

  it('creates one installation token and looks the installation up once for many calls', async () => {
    const registry = new GitHubRunnerRegistry(world.pool());
    for (let i = 0; i < 5; i++) await registry.listRunners(ORG);
    await Promise.all(Array.from({ length: 10 }, () => registry.listRunners(ORG)));
    expect(world.calls(TOKEN_ROUTE)).toBe(1);
    expect(world.calls(ORG_INSTALLATION_ROUTE)).toBe(1);
    expect(world.calls(LIST_ORG_RUNNERS_ROUTE)).toBe(15);
  });

  it('shares one token and one lookup between concurrent first calls', async () => {
    const registry = new GitHubRunnerRegistry(world.pool());
    await Promise.all(Array.from({ length: 12 }, () => registry.listRunners(ORG)));
    expect(world.calls(TOKEN_ROUTE)).toBe(1);
    expect(world.calls(ORG_INSTALLATION_ROUTE)).toBe(1);
  });

  it('refreshes the token once it is within five minutes of expiry', async () => {
    // One moved clock for both sides: the fake's auth clock (token expiry, JWT checks) and ours.
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    await world.fake.close();
    world = await startWorld({ authNow: now });
    const registry = new GitHubRunnerRegistry(world.pool({ now }));
    await registry.listRunners(ORG);
    offsetMs = 54 * 60 * 1000;
    await registry.listRunners(ORG);
    expect(world.calls(TOKEN_ROUTE)).toBe(1);
    offsetMs = 56 * 60 * 1000;
    await registry.listRunners(ORG);
    await registry.listRunners(ORG);
    expect(world.calls(TOKEN_ROUTE)).toBe(2);
  });

  it('fetches a new token when GitHub has revoked the cached one', async () => {
    const registry = new GitHubRunnerRegistry(world.pool());
    await registry.listRunners(ORG);
    world.fake.expireInstallationTokens();
    await expect(registry.listRunners(ORG)).resolves.toEqual([]);
    expect(world.calls(TOKEN_ROUTE)).toBe(2);
  });

  it('re-resolves the installation once after the App was reinstalled', async () => {
    const registry = new GitHubRunnerRegistry(world.pool());
    await registry.listRunners(ORG);
    world.fake.uninstall(world.app.appId, 'acme');
    const reinstalled = world.fake.install(world.app.appId, 'acme');
    expect(reinstalled).not.toBe(world.installationId);
    await expect(registry.listRunners(ORG)).resolves.toEqual([]);
    expect(world.calls(ORG_INSTALLATION_ROUTE)).toBe(2);
    expect(world.fake.calls().byCaller[`installation:${reinstalled}`]).toBe(1);
  });

  it('reports an App that is not installed as a configuration error', async () => {
    world.fake.uninstall(world.app.appId, 'acme');
    const registry = new GitHubRunnerRegistry(world.pool());
    const failure = registry.listRunners(ORG);
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toThrow(`GitHub App ${world.app.appId} is not installed on acme`);
  });

  it('uses a fixed installation id without looking it up', async () => {
    const registry = new GitHubRunnerRegistry(world.pool({ installationId: world.installationId }));
    await registry.listRunners(ORG);
    expect(world.calls(ORG_INSTALLATION_ROUTE)).toBe(0);
  });

  it('spreads installation calls across Apps and skips an App whose rate limit is spent', async () => {
    const second = world.fake.addApp();
    const secondInstallation = world.fake.install(second.appId, 'acme');
    const pool = world.pool({ apps: [world.app, second] });
    const registry = new GitHubRunnerRegistry(pool);
    // A call GitHub charges every time (an unchanged runner list is answered 304, free).
    const charged = () => registry.getJobStatus('acme', 'web', JobId('1'));
    for (let i = 0; i < 10; i++) await charged();
    const byCaller = () => world.fake.calls().byCaller;
    expect(byCaller()[`installation:${world.installationId}`]).toBe(5);
    expect(byCaller()[`installation:${secondInstallation}`]).toBe(5);

    world.fake.setRateLimit(world.installationId, 0);
    world.fake.resetCalls();
    for (let i = 0; i < 6; i++) await charged();
    expect(byCaller()[`installation:${secondInstallation}`]).toBe(6);
    expect(byCaller()[`installation:${world.installationId}`] ?? 0).toBeLessThanOrEqual(1);
    const limits = pool.rateLimitRemaining();
    expect(limits.find((l) => l.appId === world.app.appId)?.remaining).toBe(0);
    expect(limits.find((l) => l.appId === second.appId)?.remaining).toBe(5000 - 11);
  });

  it('fails retryably with the reset time when every App is out of rate limit', async () => {
    const registry = new GitHubRunnerRegistry(world.pool());
    world.fake.setRateLimit(world.installationId, 0, Date.now() + 120_000);
    const failure = registry.listRunners(ORG);
    await expect(failure).rejects.toBeInstanceOf(DependencyError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    const error = (await failure.catch((e: unknown) => e)) as DependencyError;
    expect(error.retryAfterSeconds).toBeGreaterThan(100);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(121);
    await expect(registry.listRunners(ORG)).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining('out of rate limit'),
    });
  });

  it('refuses settings that cannot work', () => {
    const key = createAppPrivateKey();
    expect(() => createGitHubClients({ apps: [] })).toThrow(ConfigurationError);
    expect(() => createGitHubClients({ apps: [{ appId: 1, privateKey: 'not a key' }] })).toThrow(
      'GitHub App 1: private key is not a valid PEM RSA key',
    );
    expect(() =>
      createGitHubClients({
        apps: [
          { appId: 1, privateKey: key },
          { appId: 2, privateKey: key },
        ],
        installationId: 7,
      }),
    ).toThrow(ConfigurationError);
    expect(() => createGitHubClients({ apps: [{ appId: 1, privateKey: key }], tlsVerify: false })).toThrow(
      'tlsVerify=false is only for GitHub Enterprise Server',
    );
  });
});

describe('App JWTs', () => {
  it('are distinct when signed concurrently in the same second, and verify with the App key', async () => {
    const pem = createAppPrivateKey();
    const sign = appJwtSigner(1234, parseAppKey(1234, pem), () => 1_700_000_000_000);
    const jwts = await Promise.all(Array.from({ length: 50 }, () => sign(1234)));
    expect(new Set(jwts.map((j) => j.jwt)).size).toBe(50);
    const [header, payload, signature] = (jwts[0]?.jwt ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: 1234, iat: 1_700_000_000 - 60, exp: 1_700_000_000 + 540 });
    const publicKey = createPublicKey(pem);
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(true);
  });

  it('accepts a key whose newlines were escaped in an environment variable', () => {
    const pem = createAppPrivateKey();
    expect(() => parseAppKey(1, pem.replace(/\n/g, '\\n'))).not.toThrow();
  });
});
