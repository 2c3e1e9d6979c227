import type { InstallationRecord } from './types';

/** What a route handler returns. `raw` is sent as-is (release downloads); otherwise `body` as JSON. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: Buffer;
  readonly headers?: Record<string, string>;
}

/** Who called: an App (JWT), an installation (installation token), or nobody. */
export type Caller =
  | { readonly kind: 'app'; readonly appId: number }
  | { readonly kind: 'installation'; readonly installation: InstallationRecord }
  | { readonly kind: 'anonymous' };

/** The parsed request a handler receives. */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly caller: Caller;
  /** `http://127.0.0.1:PORT`, for links and download URLs. */
  readonly baseUrl: string;
}

/**
 * Which credential a route needs. GitHub answers App-only routes (`/app/...`, `.../installation`)
 * with a JWT and everything else with an installation token; releases of a public repository
 * need nothing.
 */
export type RouteAuth = 'app' | 'installation' | 'none';

export interface Route {
  readonly method: string;
  /** GitHub's route template, e.g. `/orgs/{org}/actions/runners/{runner_id}`. */
  readonly template: string;
  readonly auth: RouteAuth;
  /** Not charged to the rate limit (GitHub doesn't charge `GET /rate_limit`). */
  readonly free?: boolean;
  readonly handle: (ctx: RequestContext) => Reply | Promise<Reply>;
}

/** Thrown by handlers for an error answer; turned into GitHub's error body by the server. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error body: `{ message, documentation_url, status }`. */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): unknown {
  return { message, documentation_url: DOCS, status: String(status), ...extra };
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

/** A path parameter; a missing one means the route did not match, hence 404. */
export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw notFound();
  return value;
}

/** A numeric path parameter such as `{runner_id}`; GitHub answers 404 for a non-number. */
export function numericParam(ctx: RequestContext, name: string): number {
  const value = Number(param(ctx, name));
  if (!Number.isSafeInteger(value) || value < 0) throw notFound();
  return value;
}

/** The JSON body as an object; 400 "Problems parsing JSON" otherwise, as GitHub answers. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body === undefined || ctx.body === null) return {};
  if (typeof ctx.body !== 'object' || Array.isArray(ctx.body))
    throw new HttpError(400, 'Problems parsing JSON');
  return ctx.body as Record<string, unknown>;
}

/** Compiles a route template to a regular expression with named groups. */
export function compileTemplate(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((part) => (part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/]+)` : escapeRegExp(part)))
    .join('/');
  return new RegExp(`^${pattern}$`, 'i');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Page-number pagination as GitHub does it: `per_page` (default 30, max 100) and `page`
 * (from 1), with a `Link` header carrying `next`, `last`, `first` and `prev` where they apply.
 */
export function paginate<T>(
  ctx: RequestContext,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = clamp(Number(ctx.query.get('per_page') ?? 30) || 30, 1, 100);
  const page = Math.max(1, Math.floor(Number(ctx.query.get('page') ?? 1) || 1));
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string): string => {
    const query = new URLSearchParams(ctx.query);
    query.set('per_page', String(perPage));
    query.set('page', String(p));
    return `<${ctx.baseUrl}${ctx.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.floor(n)));

/** A JSON reply. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers,
});
