import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA } from './support/hcl';
import { evaluate } from './support/terraform';

// A pool's owner must agree with its level, at plan time as at load (pools-schema): a
// repo-level pool registers its runners on one repository (`owner/repo`), an org-level pool on
// the organization. One apply renders the valid forms; another lists every mismatch at once.
const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');

function render(configs: Record<string, { level?: string; owner: string }>) {
  const configurations = Object.fromEntries(
    Object.entries(configs).map(([id, c]) => [id, { labels: ['self-hosted'], ...c }]),
  );
  const compute = Object.fromEntries(Object.keys(configs).map((id) => [id, { subnet_ids: ['subnet-1'] }]));
  return evaluate(
    `module "doc" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = jsondecode(${JSON.stringify(JSON.stringify(configurations))})
  compute        = jsondecode(${JSON.stringify(JSON.stringify(compute))})
}
output "json" { value = module.doc.json }
`,
    'json',
  );
}

describe('owner and level of runner configurations, at plan time', () => {
  let accepted: ReturnType<typeof render>;
  let rejected: string;
  beforeAll(() => {
    accepted = render({
      org: { owner: 'acme' },
      'repo-pool': { level: 'repo', owner: 'acme/app' },
    });
    const result = render({
      'repo-without-repo': { level: 'repo', owner: 'acme' },
      'org-with-repo': { owner: 'acme/app' },
      'two-slashes': { level: 'repo', owner: 'acme/app/extra' },
    });
    rejected = result.ok ? '' : result.error.replace(/\s+/g, ' ');
  }, 120_000);

  it('accepts an organization for an org-level pool and owner/repo for a repo-level pool', () => {
    if (!accepted.ok) throw new Error(accepted.error);
    const pools = JSON.parse(String(accepted.value)) as { id: string; level: string; owner: string }[];
    expect(pools.map(({ id, level, owner }) => ({ id, level, owner }))).toEqual([
      { id: 'org', level: 'org', owner: 'acme' },
      { id: 'repo-pool', level: 'repo', owner: 'acme/app' },
    ]);
  });

  it.each([
    [
      'repo-without-repo',
      'a repo-level pool serves one repository: owner must be "owner/repo", found "acme"',
    ],
    ['org-with-repo', 'owner "acme/app" names a repository: set level to "repo"'],
    [
      'two-slashes',
      'a repo-level pool serves one repository: owner must be "owner/repo", found "acme/app/extra"',
    ],
  ])('rejects %s, naming the configuration and the reason', (pool, reason) => {
    expect(rejected).toContain(`runner_configs["${pool}"].owner: ${reason}`);
  });
});
