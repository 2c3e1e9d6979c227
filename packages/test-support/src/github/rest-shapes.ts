import { createHash } from 'node:crypto';
import type { FakeGitHubState } from './state';
import type { OrgRecord, RepoRecord } from './types';

// Full REST shapes GitHub's description requires (simple-user, minimal-repository, the App),
// built from the fake's records, so clients that read any documented field find it.

/** A `simple-user` for an account (organisation or user) or a bot. */
export function simpleUser(
  account: { readonly login: string; readonly id: number; readonly type: string },
  baseUrl: string,
): Record<string, unknown> {
  // Logins such as `github-actions[bot]` are percent-encoded in URLs, as GitHub does.
  const login = encodeURIComponent(account.login);
  const api = `${baseUrl}/users/${login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: `${account.type === 'User' ? 'U' : 'O'}_${account.id}`,
    avatar_url: `${baseUrl}/avatars/u/${account.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${baseUrl}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    site_admin: false,
  };
}

/** The account record of `login`, or a stand-in organisation when it is unknown. */
export function accountOf(state: FakeGitHubState, login: string): OrgRecord {
  return state.org(login) ?? { id: 0, login, type: 'Organization' };
}

/** `{url_name: suffix}` of a repository's hypermedia URLs, as `minimal-repository` lists them. */
const REPO_URLS: Readonly<Record<string, string>> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

/** A `minimal-repository` (REST) / webhook `repository` for a repository of the fake. */
export function repoJson(repo: RepoRecord, state: FakeGitHubState, baseUrl: string): Record<string, unknown> {
  const url = `${baseUrl}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    owner: simpleUser(accountOf(state, repo.owner), baseUrl),
    html_url: `${baseUrl}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(REPO_URLS).map(([name, suffix]) => [name, `${url}${suffix}`])),
    ...REPO_FACTS,
    git_url: `git://127.0.0.1/${repo.fullName}.git`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    clone_url: `${baseUrl}/${repo.fullName}.git`,
    svn_url: `${baseUrl}/${repo.fullName}`,
  };
}

/**
 * The rest of a full repository (what webhooks send; optional in REST's minimal-repository):
 * an empty, private repository created with the fake.
 */
const REPO_FACTS = {
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  pushed_at: '2026-01-01T00:00:00Z',
  homepage: null,
  size: 0,
  stargazers_count: 0,
  watchers_count: 0,
  watchers: 0,
  language: null,
  has_issues: true,
  has_projects: false,
  has_downloads: true,
  has_wiki: false,
  has_pages: false,
  forks_count: 0,
  forks: 0,
  mirror_url: null,
  archived: false,
  open_issues_count: 0,
  open_issues: 0,
  license: null,
  default_branch: 'main',
  is_template: false,
  web_commit_signoff_required: false,
  topics: [],
  visibility: 'private',
  custom_properties: {},
} as const;

/** An organisation as webhooks carry it (`organization-simple`). */
export function organizationJson(org: OrgRecord, baseUrl: string): Record<string, unknown> {
  const url = `${baseUrl}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: `O_${org.id}`,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${baseUrl}/avatars/u/${org.id}`,
    description: null,
  };
}

/** The head commit of a run: deterministic from its SHA. */
export function simpleCommit(sha: string, when: string): Record<string, unknown> {
  const person = { name: 'Monalisa Octocat', email: 'octocat@example.com' };
  return {
    id: sha,
    tree_id: createHash('sha1').update(`tree:${sha}`).digest('hex'),
    message: 'Run the fake workflow',
    timestamp: when,
    author: person,
    committer: person,
  };
}

/** The GitHub App (`integration`) as `GET /app` shows it. */
export function appJson(
  app: { readonly id: number; readonly slug: string; readonly name: string },
  permissions: Readonly<Record<string, string>>,
  installationsCount: number,
  baseUrl: string,
): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_${app.id}`,
    owner: simpleUser({ login: 'hangar-test', id: 1, type: 'Organization' }, baseUrl),
    name: app.name,
    description: 'Hangar test App',
    external_url: `${baseUrl}/hangar-test`,
    html_url: `${baseUrl}/apps/${app.slug}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    permissions,
    events: ['workflow_job'],
    installations_count: installationsCount,
  };
}
