import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub } from './fake-github';
import type { FakeGitHub } from './handle';
import { installationOctokit } from './spec-helpers';

const LIST = 'GET /orgs/{org}/actions/runners';

describe('conditional requests (ETag / If-None-Match)', () => {
  let fake: FakeGitHub;
  let octokit: ReturnType<typeof installationOctokit>;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    const app = fake.addApp();
    fake.addRepo('acme/web');
    octokit = installationOctokit(fake, app, fake.install(app.appId, 'acme'));
  });

  afterAll(async () => {
    await fake.close();
  });

  const remaining = (headers: Record<string, unknown>) => Number(headers['x-ratelimit-remaining']);
  const askWith = async (tag: string) => {
    try {
      const { status, headers } = await octokit.request(LIST, {
        org: 'acme',
        headers: { 'if-none-match': tag },
      });
      return { status, headers: headers as Record<string, unknown> };
    } catch (error) {
      const { status, response } = error as {
        status: number;
        response: { headers: Record<string, unknown> };
      };
      return { status, headers: response.headers };
    }
  };

  it('answers an unchanged GET 304 with its ETag, counted apart and not charged to the rate limit; a changed one 200, charged', async () => {
    const first = await octokit.request(LIST, { org: 'acme' });
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/".+"$/);
    fake.resetCalls();

    const unchanged = await askWith(tag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.etag).toBe(tag);
    expect(remaining(unchanged.headers)).toBe(remaining(first.headers));
    expect(fake.calls().notModified).toEqual({ [LIST]: 1 });
    expect(fake.calls().byRoute[LIST]).toBe(1);

    await octokit.request('POST /orgs/{org}/actions/runners/generate-jitconfig', {
      org: 'acme',
      name: 'r-1',
      runner_group_id: 1,
      labels: ['self-hosted'],
    });
    const changed = await askWith(tag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(remaining(changed.headers)).toBe(remaining(first.headers) - 2);
    expect(fake.calls().notModified).toEqual({ [LIST]: 1 });
  });
});
