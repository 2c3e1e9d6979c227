import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppAuth } from './app-auth';
import type { Calls } from './calls';
import { conditionalReply } from './conditional';
import { faultReply, type Faults } from './faults';
import { compileTemplate, errorBody, HttpError, type Caller, type Reply, type Route } from './http-kit';
import type { RateLimits } from './rate-limit';

/** What the request pipeline needs. */
export interface Pipeline {
  readonly routes: readonly Route[];
  readonly auth: AppAuth;
  readonly faults: Faults;
  readonly rateLimits: RateLimits;
  readonly calls: Calls;
  readonly authNow: () => number;
  readonly baseUrl: () => string;
  /** Unexpected handler exceptions (bugs in the fake), answered with 500. */
  readonly internalErrors: unknown[];
}

const MAX_BODY_BYTES = 1024 * 1024;

const callerKey = (c: Caller): string =>
  c.kind === 'installation'
    ? `installation:${c.installation.id}`
    : c.kind === 'app'
      ? `app:${c.appId}`
      : 'anonymous';

/** An HTTP server answering GitHub's REST routes through the pipeline. Not yet listening. */
export function createFakeServer(pipeline: Pipeline): Server {
  const compiled = pipeline.routes.map((route) => ({ route, regex: compileTemplate(route.template) }));
  const find = (method: string, path: string) => {
    for (const { route, regex } of compiled) {
      const m = route.method === method ? regex.exec(path) : null;
      if (m) return { route, params: decodeParams(m.groups ?? {}) };
    }
    return undefined;
  };
  return createServer((req, res) => {
    handle(pipeline, find, req, res).catch((error: unknown) => {
      pipeline.internalErrors.push(error);
      if (!res.headersSent) send(res, { status: 500, body: errorBody(500, 'Internal Server Error') }, {});
    });
  });
}

async function handle(
  p: Pipeline,
  find: (method: string, path: string) => { route: Route; params: Record<string, string> } | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const match = find(method, path);
  const raw = await readBody(req);
  const resolved = match ? p.auth.resolve(req.headers.authorization, match.route.auth) : undefined;
  const caller: Caller = resolved && !(resolved instanceof HttpError) ? resolved : { kind: 'anonymous' };
  p.calls.record(method, match?.route.template ?? path, callerKey(caller));

  const fault = p.faults.take(method, path, match?.route.template ?? null);
  if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  const rateHeaders = p.rateLimits.headers(caller);
  const installationId = caller.kind === 'installation' ? caller.installation.id : null;
  const faulted = fault && faultReply(fault, rateHeaders, p.authNow(), installationId);
  if (faulted) return send(res, faulted, {});
  if (raw === undefined)
    return send(res, { status: 413, body: errorBody(413, 'Payload too large') }, rateHeaders);
  if (!match) return send(res, { status: 404, body: errorBody(404, 'Not Found') }, rateHeaders);
  if (resolved instanceof HttpError) return send(res, errorReply(resolved), rateHeaders);
  // A conditional GET is charged only once its answer turns out changed (a 304 is free).
  const ifNoneMatch = method === 'GET' ? req.headers['if-none-match'] : undefined;
  if (!match.route.free && ifNoneMatch === undefined && !p.rateLimits.consume(caller))
    return send(res, rateLimited(caller), p.rateLimits.headers(caller));
  let body: unknown;
  try {
    body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    return send(res, { status: 400, body: errorBody(400, 'Problems parsing JSON') }, rateHeaders);
  }
  const ctx = {
    method,
    path,
    template: match.route.template,
    params: match.params,
    query: url.searchParams,
    body,
    caller,
    baseUrl: p.baseUrl(),
  };
  let reply: Reply;
  try {
    reply = await match.route.handle(ctx);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    reply = errorReply(error);
  }
  if (ifNoneMatch !== undefined) {
    reply = conditionalReply(reply, ifNoneMatch);
    if (reply.status === 304) p.calls.notModified(method, match.route.template);
    else if (!match.route.free && !p.rateLimits.consume(caller))
      return send(res, rateLimited(caller), p.rateLimits.headers(caller));
  } else if (method === 'GET') reply = conditionalReply(reply, undefined);
  send(res, reply, p.rateLimits.headers(caller));
}

function rateLimited(caller: Caller): Reply {
  const message =
    caller.kind === 'installation'
      ? `API rate limit exceeded for installation ID ${caller.installation.id}.`
      : 'API rate limit exceeded.';
  return { status: 403, body: errorBody(403, message) };
}

function errorReply(error: HttpError): Reply {
  return {
    status: error.status,
    body: errorBody(error.status, error.message, error.extra),
    headers: error.headers,
  };
}

function send(res: ServerResponse, reply: Reply, rateHeaders: Record<string, string>): void {
  const headers: Record<string, string> = {
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
    ...rateHeaders,
    ...reply.headers,
  };
  if (reply.raw) {
    res.writeHead(reply.status, { ...headers, 'content-length': String(reply.raw.length) });
    res.end(reply.raw);
  } else if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
  } else {
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  }
}

/** The raw body, or undefined when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function decodeParams(groups: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
}
