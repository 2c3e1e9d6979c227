/** The cache interface `@octokit/auth-app` accepts (`get`/`set` of its serialised tokens). */
export interface AuthAppCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Tokens are refreshed this long before GitHub's expiry, so no call starts with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Installation tokens for one App, kept for the life of the process (a warm Lambda reuses them)
 * until `REFRESH_MARGIN_MS` before their `expires_at`. auth-app stores
 * `token|createdAt|expiresAt|...`; an entry past the margin counts as absent, so auth-app asks
 * GitHub for a new one.
 */
export class InstallationTokenCache implements AuthAppCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly nowMs: () => number) {}

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    const expiresAt = Date.parse(value.split('|')[2] ?? '');
    if (Number.isNaN(expiresAt) || expiresAt - this.nowMs() <= REFRESH_MARGIN_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.set(key, value);
  }

  /** Drops the tokens of one installation (it was removed or reinstalled). */
  forget(installationId: number): void {
    for (const key of [...this.entries.keys()]) {
      if (key === String(installationId) || key.startsWith(`${installationId}|`)) this.entries.delete(key);
    }
  }
}
