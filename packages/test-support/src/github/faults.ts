import { errorBody, type Reply } from './http-kit';

/** An injected failure; matched against the method and the route template or concrete path. */
export interface FaultSpec {
  /** HTTP method; any when absent. */
  readonly method?: string;
  /** Route template (`/orgs/{org}/actions/runners`) or concrete path; a RegExp tests the path. */
  readonly path: string | RegExp;
  /** Status to answer with. Without it (and without a rate-limit flag) only `latencyMs` applies. */
  readonly status?: 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 500 | 502 | 503 | 504;
  /** How many matching requests the fault affects; unlimited when absent. */
  readonly times?: number;
  /** Sent as `retry-after`; for a primary rate limit, the reset is this far ahead. */
  readonly retryAfterSeconds?: number;
  /** 403 with GitHub's secondary-rate-limit message and `retry-after` (Octokit throttling sees it). */
  readonly secondaryRateLimit?: boolean;
  /** 403 (or `status` 429) with `x-ratelimit-remaining: 0` and a reset, as on exhaustion. */
  readonly primaryRateLimit?: boolean;
  /** Delay before answering (with the fault, or normally when no status is set). */
  readonly latencyMs?: number;
  /** Overrides the error message. */
  readonly message?: string;
}

const MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Bad credentials',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Validation Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};

/** GitHub's wording; Octokit's throttling plugin looks for "secondary rate". */
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID FAKE:0000:0000.';

/** The fault registry the server consults on every request. */
export class Faults {
  private faults: Array<{ id: number; spec: FaultSpec; remaining: number }> = [];
  private nextId = 1;

  /** Adds a fault; returns its id for `remove`. */
  add(spec: FaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ id, spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  /** The first active fault for the request, consuming one of its `times`. */
  take(method: string, path: string, template: string | null): FaultSpec | undefined {
    const found = this.faults.find(({ spec, remaining }) => {
      if (remaining <= 0) return false;
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      if (spec.path instanceof RegExp) return spec.path.test(path);
      return spec.path === template || spec.path.toLowerCase() === path.toLowerCase();
    });
    if (found) found.remaining -= 1;
    return found?.spec;
  }
}

/**
 * The error answer for a fault, or undefined when it only adds latency. `rateHeaders` are the
 * caller's normal `x-ratelimit-*` headers; a primary-limit fault overrides them.
 */
export function faultReply(
  spec: FaultSpec,
  rateHeaders: Record<string, string>,
  authNowMs: number,
  installationId: number | null,
): Reply | undefined {
  const retryAfter = spec.retryAfterSeconds;
  const retryHeader: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  if (spec.secondaryRateLimit) {
    const status = spec.status ?? 403;
    return {
      status,
      body: errorBody(status, spec.message ?? SECONDARY_MESSAGE),
      headers: { ...rateHeaders, 'retry-after': String(retryAfter ?? 60) },
    };
  }
  if (spec.primaryRateLimit) {
    const status = spec.status ?? 403;
    const message = `API rate limit exceeded for installation ID ${installationId ?? 0}.`;
    return {
      status,
      body: errorBody(status, spec.message ?? message),
      headers: {
        ...rateHeaders,
        ...retryHeader,
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(authNowMs / 1000) + (retryAfter ?? 60)),
      },
    };
  }
  if (spec.status === undefined) return undefined;
  return {
    status: spec.status,
    body: errorBody(spec.status, spec.message ?? MESSAGES[spec.status] ?? 'Error'),
    headers: { ...rateHeaders, ...retryHeader },
  };
}
