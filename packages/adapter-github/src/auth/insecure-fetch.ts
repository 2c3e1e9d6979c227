import { request } from 'node:https';

/**
 * A `fetch` over `node:https` that does not verify the server's certificate, for GitHub
 * Enterprise Server with a private CA or a self-signed certificate (`tlsVerify: false`).
 *
 * Node's own fetch (undici inside Node) takes no TLS options and Node does not expose its
 * undici `Agent`; the undici package would bring ~410 KiB (two llhttp WebAssembly builds) into
 * every Lambda bundle for a setting few deployments use. Octokit needs little of fetch: a
 * method, headers, a string or byte body, an abort signal, and a `Response` whose status,
 * headers, url and body it reads. Redirects are followed as fetch's `redirect: 'follow'` does
 * (GHES answers 301/307 for a renamed repository).
 */
export async function insecureFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  let url = new URL(input instanceof Request ? input.url : String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = bodyBytes(init.body);
  let origin = url.origin;
  let withCredentials = true;
  for (let redirects = 0; ; redirects++) {
    const headers = headersOf(init.headers, body);
    // fetch's rule: a redirect to another origin drops Authorization for the rest of the chain
    // (the token is GitHub's alone).
    if (url.origin !== origin) withCredentials = false;
    origin = url.origin;
    if (!withCredentials) delete headers.authorization;
    const answer = await send(url, method, headers, body, init.signal ?? undefined);
    const location = answer.headers.get('location');
    if (!REDIRECTS.has(answer.status) || location === null || init.redirect === 'manual') {
      Object.defineProperty(answer, 'url', { value: url.href });
      return answer;
    }
    if (init.redirect === 'error' || redirects >= 20)
      throw new TypeError(`fetch failed: redirect from ${url.href} refused`);
    url = new URL(location, url);
    // fetch's rule: 303, and 301/302 after a POST, repeat the request as a GET without a body.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses whose response has no body (a Response with one throws). */
const BODILESS = new Set([101, 204, 205, 304]);

function bodyBytes(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('fetch failed: insecureFetch sends string or byte bodies only');
}

function headersOf(headers: RequestInit['headers'], body: Buffer | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  if (body !== undefined) out['content-length'] = String(body.length);
  return out;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, rejectUnauthorized: false, signal }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const status = incoming.statusCode ?? 502;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers))
          for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
        const content = BODILESS.has(status) || method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(
          new Response(content, {
            status,
            statusText: incoming.statusMessage ?? '',
            headers: responseHeaders,
          }),
        );
      });
    });
    // Node's fetch shapes: an abort stays an AbortError; any other failure is `fetch failed`
    // with the transport error as its cause, which errors.ts reports.
    outgoing.on('error', (error) =>
      reject(error.name === 'AbortError' ? error : new TypeError('fetch failed', { cause: error })),
    );
    outgoing.end(body);
  });
}
