import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, DependencyError } from '@hangar/core';
import { isInstallationGone, responseStatus, toCoreError } from './errors';

const NOW = Date.parse('2026-03-01T10:00:00Z');

/** The shape of Octokit's RequestError, built by hand for the few shapes the fake cannot produce. */
function requestError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  url = 'https://api.github.com/orgs/acme/actions/runners',
): Error {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    request: { method: 'GET', url, headers: {} },
    response: { status, url, headers, data: {} },
  });
}

describe('toCoreError', () => {
  it('maps a primary rate limit to retryable with the seconds until reset', () => {
    const error = toCoreError(
      requestError(403, 'API rate limit exceeded for installation ID 1.', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000 + 90),
      }),
      'list-runners',
      NOW,
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 90 });
  });

  it('maps a 429 without headers to retryable with a 60 second default', () => {
    expect(toCoreError(requestError(429, 'Too Many Requests'), 'op', NOW)).toMatchObject({
      retryable: true,
      retryAfterSeconds: 60,
    });
  });

  it('maps 5xx to retryable and 401, 403, 404, 422 to non-retryable', () => {
    const retryable = (status: number) =>
      (toCoreError(requestError(status, 'x'), 'op', NOW) as DependencyError).retryable;
    expect([500, 502, 503, 504].map(retryable)).toEqual([true, true, true, true]);
    expect([401, 403, 404, 422].map(retryable)).toEqual([false, false, false, false]);
  });

  it('keeps core errors as they are and wraps anything else as non-retryable', () => {
    const config = new ConfigurationError(['x']);
    expect(toCoreError(config, 'op', NOW)).toBe(config);
    expect(toCoreError(new TypeError('boom'), 'op', NOW)).toMatchObject({
      retryable: false,
      message: 'github op failed: unexpected failure: boom',
    });
  });

  it('never repeats request headers or bodies in its message', () => {
    const error = toCoreError(requestError(500, 'Server Error\nrequest: token ghs_secret'), 'op', NOW);
    expect(error.message).toBe('github op failed: HTTP 500: Server Error');
  });
});

describe('token failures', () => {
  const tokenUrl = 'https://api.github.com/app/installations/7/access_tokens';

  it('are not read as the status of the API call', () => {
    expect(responseStatus(requestError(404, 'Not Found', {}, tokenUrl))).toBeUndefined();
    expect(responseStatus(requestError(404, 'Not Found'))).toBe(404);
  });

  it('mark the installation as gone on a token 404 or any 401, not on an API 404', () => {
    expect(isInstallationGone(requestError(404, 'Not Found', {}, tokenUrl))).toBe(true);
    expect(isInstallationGone(requestError(401, 'Bad credentials'))).toBe(true);
    expect(isInstallationGone(requestError(404, 'Not Found'))).toBe(false);
  });
});
