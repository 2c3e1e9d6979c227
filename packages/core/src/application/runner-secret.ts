/**
 * What a runner's machine finds at its secret path. One JSON document, read once by the
 * bootstrap script and deleted. `jit` for ephemeral runners (GitHub's just-in-time config),
 * `registration` for reusable ones (they register themselves with `config.sh`).
 */
export type RunnerSecret =
  | { readonly kind: 'jit'; readonly jitConfig: string }
  | {
      readonly kind: 'registration';
      readonly token: string;
      /** https://github.com/<owner>[/<repo>] (or the GHES equivalent). */
      readonly url: string;
      readonly name: string;
      readonly labels: readonly string[];
      readonly runnerGroup: string | null;
    };

export function encodeRunnerSecret(secret: RunnerSecret): string {
  return JSON.stringify(secret);
}
