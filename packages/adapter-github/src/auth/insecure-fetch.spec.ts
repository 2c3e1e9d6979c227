import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../spec-support';
import { insecureFetch } from './insecure-fetch';

/** An HTTPS server with a self-signed certificate that describes each request it receives. */
async function startEchoServer(): Promise<{ server: Server; url: string }> {
  const server = createServer(selfSignedCertificate(), (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const redirect = /^\/redirect\/(\d+)$/.exec(path);
      if (redirect) {
        res.writeHead(Number(redirect[1]), { location: '/landed' });
        res.end();
        return;
      }
      const away = /^\/to\/(.+)$/.exec(path);
      if (away) {
        res.writeHead(302, { location: decodeURIComponent(away[1] ?? '') });
        res.end();
        return;
      }
      if (path === '/empty') {
        res.writeHead(204, { 'x-ratelimit-remaining': '4999' });
        res.end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(
        JSON.stringify({
          method: req.method,
          path,
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: req.headers.authorization ?? null,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('insecureFetch (GHES with tlsVerify=false)', () => {
  let echo: { server: Server; url: string };

  beforeAll(async () => {
    echo = await startEchoServer();
  });

  afterAll(async () => {
    echo.server.closeAllConnections();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  });

  it('sends the method, headers and body past a self-signed certificate and answers a Response', async () => {
    const response = await insecureFetch(`${echo.url}/repos/o/r`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{"name":"runner-1"}',
    });
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${echo.url}/repos/o/r`);
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    await expect(response.json()).resolves.toEqual({
      method: 'POST',
      path: '/repos/o/r',
      body: '{"name":"runner-1"}',
      authorization: 'token t',
    });
  });

  it('answers a body-less status with a null body and its headers', async () => {
    const response = await insecureFetch(`${echo.url}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(response.headers.get('x-ratelimit-remaining')).toBe('4999');
  });

  it('follows a 307 with the same method and body, as fetch does', async () => {
    const response = await insecureFetch(`${echo.url}/redirect/307`, { method: 'POST', body: 'x' });
    expect(response.url).toBe(`${echo.url}/landed`);
    await expect(response.json()).resolves.toMatchObject({ method: 'POST', path: '/landed', body: 'x' });
  });

  it('follows a 302 after a POST as a GET without a body, as fetch does', async () => {
    const response = await insecureFetch(`${echo.url}/redirect/302`, { method: 'POST', body: 'x' });
    await expect(response.json()).resolves.toMatchObject({ method: 'GET', path: '/landed', body: '' });
  });

  it('keeps the Authorization header on a same-origin redirect and drops it on a cross-origin one, as fetch does', async () => {
    const other = await startEchoServer();
    try {
      const headers = { authorization: 'token ghs_installation' };
      const same = await insecureFetch(`${echo.url}/redirect/302`, { headers });
      await expect(same.json()).resolves.toMatchObject({ authorization: 'token ghs_installation' });
      const away = `${echo.url}/to/${encodeURIComponent(`${other.url}/landed`)}`;
      const elsewhere = await insecureFetch(away, { headers });
      expect(elsewhere.url).toBe(`${other.url}/landed`);
      await expect(elsewhere.json()).resolves.toMatchObject({ path: '/landed', authorization: null });
    } finally {
      other.server.closeAllConnections();
      await new Promise<void>((resolve) => other.server.close(() => resolve()));
    }
  });

  it('fails as Node fetch does when nothing answers, with the transport error as the cause', async () => {
    const closed = await new Promise<string>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(`https://127.0.0.1:${port}`));
      });
    });
    const error = await insecureFetch(`${closed}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(String((error as { cause?: { message?: string } }).cause?.message)).toMatch(/ECONNREFUSED/);
  });
});
