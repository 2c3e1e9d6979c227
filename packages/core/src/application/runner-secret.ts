/**
 * What a runner's machine finds at its secret path. One JSON document, read once by the
 * bootstrap script and deleted. `jit` for ephemeral runners (GitHub's just-in-time config),
 * `registration` for reusable ones and for ephemeral ones of a pool without JIT configs
 * (they register themselves with `config.sh`).
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
      /** Present (true) for a single-job runner registered with a token: `config.sh --ephemeral`. */
      readonly ephemeral?: true;
      /** Present (true) when the pool's default labels are off: `config.sh --no-default-labels`. */
      readonly noDefaultLabels?: true;
    };

export function encodeRunnerSecret(secret: RunnerSecret): string {
  return JSON.stringify(secret);
}
