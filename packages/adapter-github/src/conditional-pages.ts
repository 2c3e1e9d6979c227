import type { GitHubOctokit } from './auth/octokit-factory';
import { responseStatus } from './errors';

interface HeldPage {
  readonly etag: string;
  readonly items: readonly unknown[];
  readonly hasNext: boolean;
}

type ListRoute = 'GET /orgs/{org}/actions/runners' | 'GET /repos/{owner}/{repo}/actions/runners';

/**
 * Pages of a GitHub list read with conditional requests: each page is asked for with the ETag
 * it had when last read (`If-None-Match`); GitHub answers 304 while it is unchanged — not
 * counted against the rate limit (GitHub's REST best practices) — and the page held is used.
 * A 304 means the same bytes, so a held page is exactly what GitHub would send. Pages are held
 * per route and parameters for the life of the process (a warm Lambda), one entry per page.
 */
export class ConditionalPages {
  private readonly held = new Map<string, HeldPage>();

  async list(
    octokit: GitHubOctokit,
    route: ListRoute,
    params: Readonly<Record<string, string | number>>,
    itemsOf: (data: unknown) => readonly unknown[],
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const key = `${route} ${JSON.stringify(params)} ${page}`;
      const read = await this.page(octokit, route, { ...params, page }, key, itemsOf);
      items.push(...read.items);
      if (!read.hasNext) return items;
    }
  }

  private async page(
    octokit: GitHubOctokit,
    route: ListRoute,
    params: Readonly<Record<string, string | number>>,
    key: string,
    itemsOf: (data: unknown) => readonly unknown[],
  ): Promise<Omit<HeldPage, 'etag'>> {
    const held = this.held.get(key);
    try {
      const response = await octokit.request(route, {
        ...params,
        ...(held ? { headers: { 'if-none-match': held.etag } } : {}),
      } as never);
      const read = { items: itemsOf(response.data), hasNext: /rel="next"/.test(response.headers.link ?? '') };
      if (response.headers.etag) this.held.set(key, { ...read, etag: response.headers.etag });
      else this.held.delete(key);
      return read;
    } catch (error) {
      if (held && responseStatus(error) === 304) return held;
      throw error;
    }
  }
}
