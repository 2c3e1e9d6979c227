import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request and its answer, as a client saw them. */
export interface Exchange {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; undefined when empty; the raw text when it is not JSON. */
  readonly body: unknown;
}

/** A loopback HTTP proxy in front of `target` that records every exchange passing through it. */
export interface RecordingProxy {
  /** Use as the client's `baseUrl`. */
  readonly url: string;
  exchanges(): Exchange[];
  close(): Promise<void>;
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Starts the proxy on 127.0.0.1 (free port). Requests are forwarded unchanged to `target`
 * (also loopback), and answers come back unchanged, so whatever client talks through it —
 * Octokit in an adapter, a plain fetch — is observed without being changed.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const recorded: Exchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(body);
            recorded.push({
              method: (req.method ?? 'GET').toUpperCase(),
              path: new URL(req.url ?? '/', 'http://proxy').pathname,
              status: answer.statusCode ?? 0,
              headers: answer.headers,
              body: parse(raw.toString('utf8')),
            });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(raw);
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${error.message}`);
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges: () => [...recorded],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
