import type { GitHubDescription } from './description';
import type { Exchange } from './recording-proxy';

/**
 * Statuses GitHub answers on any route without listing them per operation in its description:
 * 401 (bad credentials), 403 (no permission, primary or secondary rate limit), 404 (unknown or
 * not accessible), 429 (rate limit) and 5xx. Their body is GitHub's basic error.
 */
export const GITHUB_WIDE_STATUSES: readonly number[] = [401, 403, 404, 429, 500, 502, 503, 504];

/** Why one exchange does not conform to the description; empty when it does. */
export function conformanceProblems(description: GitHubDescription, exchange: Exchange): string[] {
  const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
  const operation = description.find(exchange.method, exchange.path);
  if (!operation) return [`${where}: no such operation in GitHub's description`];
  const documented = operation.problems(exchange.status, exchange.body);
  if (documented) return documented.map((p) => `${where} (${operation.operationId}): ${p}`);
  if (!GITHUB_WIDE_STATUSES.includes(exchange.status)) {
    return [
      `${where} (${operation.operationId}): status not documented (documented: ${operation.statuses.join(', ')})`,
    ];
  }
  return description
    .schemaProblems('basic-error', exchange.body)
    .map((p) => `${where} (${operation.operationId}, GitHub-wide status): ${p}`);
}
