import type { IsoTime, WebhookRecovery } from '@hangar/core';
import type { AppPool } from './auth/app-pool';
import type { GitHubOctokit } from './auth/octokit-factory';
import { responseStatus, toCoreError } from './errors';

interface DeliverySummary {
  readonly id: number;
  readonly guid: string;
  readonly delivered_at: string;
  readonly status_code: number;
  readonly event: string;
}

const PER_PAGE = 100;

/**
 * How far behind the newest delivery a finished scan saw the next scan starts reading again.
 * GitHub logs an attempt once it ends (a timed-out one about 10 s after its `delivered_at`),
 * so an attempt older than the newest one read may appear after the scan; two minutes covers
 * that lag many times over, and the overlap costs at most part of one page.
 */
export const RESCAN_OVERLAP_MS = 2 * 60 * 1000;

/**
 * Our webhook's answers to a delivery's content: the same bytes get the same answer, so a
 * redelivery would be refused again, every run, and spend the budget lost deliveries need.
 */
const REFUSED_FOR_CONTENT = new Set([400, 413, 415, 422]);

/**
 * GitHub reports 0 when it could not connect or timed out; ≥ 400 when the endpoint refused.
 * Worth redelivering: those, 5xx, and refusals an operator can fix (401 after a webhook secret
 * mismatch, 403/404 from a misconfigured endpoint), but not a refusal of the content itself.
 */
const failed = (d: DeliverySummary): boolean =>
  d.status_code === 0 || (d.status_code >= 400 && !REFUSED_FOR_CONTENT.has(d.status_code));
const succeeded = (d: DeliverySummary): boolean => d.status_code >= 200 && d.status_code < 300;

/**
 * Finds `workflow_job` deliveries that failed (GitHub never retries them) and asks GitHub to
 * redeliver them, through each App's own delivery log (`GET /app/hook/deliveries`, App JWT).
 *
 * The log is newest first, so by the time a failed attempt is read every newer attempt of the
 * same GUID has been read too: a GUID already delivered successfully (or redelivered in this
 * run) is skipped, and each failed GUID is redelivered once. Pages and redeliveries share
 * `maxApiCalls`; the scan stops at the budget or at deliveries older than `since`.
 *
 * A warm process remembers, per App, the newest delivery a scan that finished (reached `since`
 * or the end of the log within its budget) inspected: every failed delivery older than that was
 * redelivered or skipped then, and a redelivery is a new, newer attempt. The next scan stops
 * `RESCAN_OVERLAP_MS` before it instead of re-reading the whole lookback every five minutes
 * (a page per 100 deliveries). A cold start, or a scan cut short, reads the whole lookback.
 *
 * A quiet log is asked for conditionally: the next scan sends the newest page's ETag
 * (`If-None-Match`), and GitHub answers 304 — not counted against the rate limit — while the
 * page is unchanged, i.e. nothing was logged since. Only the ETag of a finished scan whose
 * newest page reached back over `RESCAN_OVERLAP_MS` (or held the whole log) is sent: an attempt
 * logged late lands within the overlap, so on that page, and changes it.
 */
export class GitHubWebhookRecovery implements WebhookRecovery {
  /** Per App: `delivered_at` (ms) of the newest delivery a finished scan inspected. */
  private readonly scannedThrough = new Map<number, number>();
  /** Per App: the ETag of the newest page as a finished scan read it, when it may be trusted. */
  private readonly unchangedTag = new Map<number, string>();

  constructor(private readonly pool: AppPool) {}

  async redeliverFailed(
    since: IsoTime,
    maxApiCalls: number,
  ): Promise<{ readonly inspected: number; readonly redelivered: number }> {
    const sinceMs = Date.parse(since);
    const budget = { left: maxApiCalls };
    let inspected = 0;
    let redelivered = 0;
    for (const { appId, octokit } of this.pool.appClients()) {
      if (budget.left <= 0) break;
      const through = this.scannedThrough.get(appId);
      const fromMs = through === undefined ? sinceMs : Math.max(sinceMs, through - RESCAN_OVERLAP_MS);
      const result = await this.recoverApp(octokit, fromMs, budget, this.unchangedTag.get(appId));
      inspected += result.inspected;
      redelivered += result.redelivered;
      if (result.finished && result.newestMs !== undefined)
        this.scannedThrough.set(appId, Math.max(result.newestMs, through ?? result.newestMs));
      if (result.finished && result.tag !== undefined) this.unchangedTag.set(appId, result.tag);
      else this.unchangedTag.delete(appId);
    }
    return { inspected, redelivered };
  }

  private async recoverApp(
    octokit: GitHubOctokit,
    sinceMs: number,
    budget: { left: number },
    heldTag: string | undefined,
  ): Promise<ScanResult> {
    const settled = new Set<string>();
    let inspected = 0;
    let redelivered = 0;
    let cursor: string | undefined;
    let newestMs: number | undefined;
    // A scan finishes when it reached `since` (or the log's end) with no failed delivery left
    // for want of budget; only then may the next one skip what this one read.
    let finished = false;
    let starved = false;
    let tag: string | undefined;
    try {
      do {
        if (budget.left <= 0) {
          starved = true;
          break;
        }
        budget.left -= 1;
        const first = cursor === undefined;
        const page = await readPage(octokit, cursor, first ? heldTag : undefined);
        if (page === 'unchanged') return { inspected: 0, redelivered: 0, finished: true, tag: heldTag };
        if (first) tag = trustedTag(page);
        let reachedSince = false;
        for (const delivery of page.data as readonly DeliverySummary[]) {
          const deliveredMs = Date.parse(delivery.delivered_at);
          if (deliveredMs < sinceMs) {
            reachedSince = true;
            break;
          }
          newestMs = Math.max(newestMs ?? deliveredMs, deliveredMs);
          inspected += 1;
          if (delivery.event !== 'workflow_job' || settled.has(delivery.guid)) continue;
          if (succeeded(delivery)) settled.add(delivery.guid);
          if (!failed(delivery)) continue;
          if (budget.left <= 0) {
            starved = true;
            continue;
          }
          budget.left -= 1;
          settled.add(delivery.guid);
          if (await redeliver(octokit, delivery.id)) redelivered += 1;
        }
        cursor = reachedSince ? undefined : nextCursor(page.headers.link);
        finished = cursor === undefined && !starved;
      } while (cursor !== undefined);
    } catch (error) {
      throw toCoreError(error, 'redeliver-webhooks', this.pool.now());
    }
    return {
      inspected,
      redelivered,
      finished,
      ...(newestMs === undefined ? {} : { newestMs }),
      ...(tag === undefined ? {} : { tag }),
    };
  }
}

interface ScanResult {
  readonly inspected: number;
  readonly redelivered: number;
  readonly finished: boolean;
  readonly newestMs?: number;
  /** The newest page's ETag, when a later scan may trust a 304 for it. */
  readonly tag?: string;
}

interface DeliveryPage {
  readonly data: unknown;
  readonly headers: { readonly link?: string; readonly etag?: string };
}

/** One page of the log, or `unchanged` when GitHub answered 304 to the ETag held for it. */
async function readPage(
  octokit: GitHubOctokit,
  cursor: string | undefined,
  heldTag: string | undefined,
): Promise<DeliveryPage | 'unchanged'> {
  try {
    return await octokit.request('GET /app/hook/deliveries', {
      per_page: PER_PAGE,
      ...(cursor === undefined ? {} : { cursor }),
      ...(heldTag === undefined ? {} : { headers: { 'if-none-match': heldTag } }),
    });
  } catch (error) {
    if (heldTag !== undefined && responseStatus(error) === 304) return 'unchanged';
    throw error;
  }
}

/**
 * The newest page's ETag, if an unchanged page proves nothing new was logged: it holds the
 * whole log, or reaches back `RESCAN_OVERLAP_MS` from its newest delivery.
 */
function trustedTag(page: DeliveryPage): string | undefined {
  const etag = page.headers.etag;
  const times = (page.data as readonly DeliverySummary[]).map((d) => Date.parse(d.delivered_at));
  const whole = nextCursor(page.headers.link) === undefined;
  const spansOverlap = times.length > 0 && Math.max(...times) - Math.min(...times) >= RESCAN_OVERLAP_MS;
  return etag !== undefined && (whole || spansOverlap) ? etag : undefined;
}

/**
 * Asks GitHub to redeliver one delivery. GitHub documents 400 and 422 for a delivery it will
 * not redeliver (e.g. older than its redelivery window): that delivery is lost, the others
 * are still worth recovering, so it is skipped (false) instead of ending the run.
 */
async function redeliver(octokit: GitHubOctokit, deliveryId: number): Promise<boolean> {
  try {
    await octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: deliveryId });
    return true;
  } catch (error) {
    const status = responseStatus(error);
    if (status === 400 || status === 422) return false;
    throw error;
  }
}

/** The `cursor` of the `rel="next"` link; GitHub paginates deliveries by cursor, not page. */
function nextCursor(link: string | undefined): string | undefined {
  const next = link?.split(',').find((part) => /rel="next"/.test(part));
  const url = next && /<([^>]+)>/.exec(next)?.[1];
  return url ? (new URL(url).searchParams.get('cursor') ?? undefined) : undefined;
}
