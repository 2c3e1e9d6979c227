import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DependencyError } from '@hangar/core';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { GitHubRunnerRegistry } from '../runner-registry';
import { selfSignedCertificate, startWorld, type GitHubWorld } from '../spec-support';

/** A GHES stand-in: HTTPS with a self-signed certificate in front of the fake GitHub. */
async function startTlsProxy(targetUrl: string): Promise<{ server: Server; url: string }> {
  const { key, cert } = selfSignedCertificate();
  const target = new URL(targetUrl);
  const server = createServer({ key, cert }, (req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('GitHub Enterprise Server with a certificate Node cannot verify', () => {
  let world: GitHubWorld;
  let proxy: { server: Server; url: string };

  beforeAll(async () => {
    world = await startWorld();
    proxy = await startTlsProxy(world.fake.url);
  });

  afterAll(async () => {
    proxy.server.closeAllConnections();
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    await world.fake.close();
  });

  it('works with tlsVerify=false', async () => {
    const registry = new GitHubRunnerRegistry(world.pool({ baseUrl: proxy.url, tlsVerify: false }));
    await expect(registry.listRunners({ level: 'org', owner: 'acme' })).resolves.toEqual([]);
  });

  it('refuses the self-signed certificate by default', async () => {
    const registry = new GitHubRunnerRegistry(world.pool({ baseUrl: proxy.url, bounds: { maxRetries: 0 } }));
    const error = await registry.listRunners({ level: 'org', owner: 'acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(String((error as DependencyError).message)).toMatch(/self[- ]signed|certificate|fetch failed/i);
  });
});
