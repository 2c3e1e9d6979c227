import { createPublicKey } from 'node:crypto';
import type {
  AppRecord,
  DeliveryRecord,
  InstallationRecord,
  JobRecord,
  OrgRecord,
  RepoRecord,
  RunRecord,
  RunnerGroupRecord,
  RunnerRecord,
} from './types';

/** Id ranges differ per kind so a job id passed where a runner id is expected finds nothing. */
const FIRST_IDS = {
  org: 101,
  repo: 2001,
  installation: 30001,
  group: 2,
  runner: 1,
  label: 1,
  job: 400001,
  run: 9000001,
  delivery: 70000001,
} as const;

type IdKind = keyof typeof FIRST_IDS;

const key = (s: string): string => s.toLowerCase();

/**
 * All records of the fake. Plain maps keyed by id or by lower-cased name (GitHub treats
 * owner and repository names case-insensitively). No behaviour beyond setup and lookups.
 */
export class FakeGitHubState {
  readonly apps = new Map<number, AppRecord>();
  readonly orgs = new Map<string, OrgRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly groups = new Map<string, RunnerGroupRecord[]>();
  readonly runners = new Map<number, RunnerRecord>();
  readonly jobs = new Map<number, JobRecord>();
  readonly runs = new Map<number, RunRecord>();
  readonly deliveries: DeliveryRecord[] = [];
  private readonly next = new Map<IdKind, number>();

  constructor(private readonly isoNow: () => string) {}

  /** The simulation clock, in epoch ms (whole seconds, as GitHub's timestamps). */
  nowMs(): number {
    return Date.parse(this.isoNow());
  }

  /** The next id of a kind. */
  id(kind: IdKind): number {
    const value = this.next.get(kind) ?? FIRST_IDS[kind];
    this.next.set(kind, value + 1);
    return value;
  }

  addApp(options: { appId: number; privateKey: string; slug?: string; name?: string }): AppRecord {
    if (this.apps.has(options.appId)) throw new Error(`App ${options.appId} already exists`);
    const slug = options.slug ?? `hangar-test-${options.appId}`;
    const app: AppRecord = {
      id: options.appId,
      slug,
      name: options.name ?? slug,
      publicKey: createPublicKey(options.privateKey),
      webhook: null,
    };
    this.apps.set(app.id, app);
    return app;
  }

  addOrg(login: string): OrgRecord {
    const existing = this.orgs.get(key(login));
    if (existing) return existing;
    const org: OrgRecord = { id: this.id('org'), login, type: 'Organization' };
    this.orgs.set(key(login), org);
    this.groups.set(key(login), [
      { id: 1, org: login, name: 'Default', isDefault: true, visibility: 'all', repositories: [] },
    ]);
    return org;
  }

  /** A personal account; its repositories (added after it) belong to a user, not an organisation. */
  addUser(login: string): OrgRecord {
    const existing = this.orgs.get(key(login));
    if (existing) {
      if (existing.type !== 'User') throw new Error(`${login} is already an organisation`);
      return existing;
    }
    const user: OrgRecord = { id: this.id('org'), login, type: 'User' };
    this.orgs.set(key(login), user);
    return user;
  }

  /** Adds `owner/name`, creating the owner as an organisation unless it is a known user. */
  addRepo(fullName: string): RepoRecord {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0) throw new Error(`Expected owner/name, got "${fullName}"`);
    const existing = this.repos.get(key(fullName));
    if (existing) return existing;
    const org = this.addOrg(owner);
    const repo: RepoRecord = {
      id: this.id('repo'),
      name,
      fullName: `${org.login}/${name}`,
      owner: org.login,
    };
    this.repos.set(key(fullName), repo);
    return repo;
  }

  /**
   * Installs an App on an organisation (`'acme'`, all repositories) or on one repository
   * (`'acme/web'`, added to the App's selected repositories there). Returns the installation.
   */
  install(appId: number, target: string): InstallationRecord {
    if (!this.apps.has(appId)) throw new Error(`Unknown App ${appId}`);
    const [owner, repoName] = target.split('/');
    if (!owner) throw new Error(`Bad installation target "${target}"`);
    if (repoName) this.addRepo(target);
    const org = this.addOrg(owner);
    const existing = this.installationOf(appId, org.login);
    if (existing) {
      if (repoName && existing.repositories !== 'all') existing.repositories.push(key(repoName));
      if (!repoName) existing.repositories = 'all';
      return existing;
    }
    const installation: InstallationRecord = {
      id: this.id('installation'),
      appId,
      org: org.login,
      repositories: repoName ? [key(repoName)] : 'all',
      createdAt: this.isoNow(),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** Removes the App's installation on the organisation; installing again yields a new id. */
  uninstall(appId: number, org: string): void {
    const installation = this.installationOf(appId, org);
    if (installation) this.installations.delete(installation.id);
  }

  installationOf(appId: number, org: string): InstallationRecord | undefined {
    return [...this.installations.values()].find((i) => i.appId === appId && key(i.org) === key(org));
  }

  /** Installations (of any App) whose repositories include `repo`. */
  installationsCovering(repo: RepoRecord): InstallationRecord[] {
    return [...this.installations.values()].filter((i) => covers(i, repo));
  }

  addRunnerGroup(
    org: string,
    options: { name: string; visibility?: 'all' | 'selected'; repositories?: string[] },
  ): RunnerGroupRecord {
    const o = this.org(org);
    if (!o) throw new Error(`Unknown org ${org}`);
    const group: RunnerGroupRecord = {
      id: this.id('group'),
      org: o.login,
      name: options.name,
      isDefault: false,
      visibility: options.visibility ?? 'all',
      repositories: (options.repositories ?? []).map(key),
    };
    this.groups.get(key(org))?.push(group);
    return group;
  }

  org(login: string): OrgRecord | undefined {
    return this.orgs.get(key(login));
  }

  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(key(fullName));
  }

  groupsOf(org: string): readonly RunnerGroupRecord[] {
    return this.groups.get(key(org)) ?? [];
  }

  group(org: string, id: number): RunnerGroupRecord | undefined {
    return this.groupsOf(org).find((g) => g.id === id);
  }
}

/** True when the installation grants access to the repository. */
export function covers(installation: InstallationRecord, repo: RepoRecord): boolean {
  if (key(installation.org) !== key(repo.owner)) return false;
  return installation.repositories === 'all' || installation.repositories.includes(key(repo.name));
}

/** Case-insensitive name comparison, as GitHub does for logins, repositories and labels. */
export const sameName = (a: string, b: string): boolean => key(a) === key(b);
