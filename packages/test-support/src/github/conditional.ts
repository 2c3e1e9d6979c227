import { createHash } from 'node:crypto';
import type { Reply } from './http-kit';

/**
 * GitHub's conditional requests: a JSON `GET` answer carries an `etag`; the same request sent
 * again with `If-None-Match: <etag>` is answered `304 Not Modified` with no body while the
 * answer is unchanged, and "does not count against your primary rate limit" (GitHub's REST
 * best practices). Weak ETags over the body, as GitHub sends them.
 */
export function etagOf(reply: Reply): string | undefined {
  if (reply.status !== 200 || reply.raw || reply.body === undefined) return undefined;
  return `W/"${createHash('sha256').update(JSON.stringify(reply.body)).digest('hex').slice(0, 40)}"`;
}

/** The reply with its ETag, or the 304 that replaces it when the caller already holds it. */
export function conditionalReply(reply: Reply, ifNoneMatch: string | undefined): Reply {
  const etag = etagOf(reply);
  if (etag === undefined) return reply;
  const held = ifNoneMatch?.split(',').map((tag) => tag.trim()) ?? [];
  if (held.includes(etag) || held.includes('*')) return { status: 304, headers: { etag } };
  return { ...reply, headers: { ...reply.headers, etag } };
}
