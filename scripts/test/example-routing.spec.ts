// The examples whose purpose is one kind of runner (Graviton, Windows, Fargate, a prebuilt image,
// the defaults, a permissions boundary), checked the way a user would: the example's pools.json
// rendered by the module's pools-document, then `pnpm policy-check` over a short trace of the
// jobs it is for plus one it is not for.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { exampleConfigurations, policyCheck, renderExamplePools } from './support/example-check';

type Example = {
  readonly example: string;
  /** The `runs-on` labels of the jobs the example is for. */
  readonly labels: readonly string[];
  /** Labels the example's pool must not serve. */
  readonly foreign: readonly string[];
};

const EXAMPLES: readonly Example[] = [
  { example: 'arm64', labels: ['self-hosted', 'linux', 'arm64'], foreign: ['self-hosted', 'linux', 'x64'] },
  { example: 'default', labels: ['self-hosted', 'linux', 'x64'], foreign: ['self-hosted', 'windows', 'x64'] },
  {
    example: 'fargate',
    labels: ['self-hosted', 'linux', 'fargate'],
    foreign: ['self-hosted', 'linux', 'gpu'],
  },
  {
    example: 'permissions-boundary',
    labels: ['self-hosted', 'linux', 'x64'],
    foreign: ['self-hosted', 'linux', 'arm64'],
  },
  {
    example: 'prebuilt-image',
    labels: ['self-hosted', 'linux', 'x64', 'prebuilt'],
    foreign: ['self-hosted', 'linux', 'arm64'],
  },
  // Windows matches exactly: a job that also asks for `linux` must not land on it.
  {
    example: 'windows',
    labels: ['self-hosted', 'windows', 'x64'],
    foreign: ['self-hosted', 'windows', 'x64', 'linux'],
  },
];

let rendered: Map<string, unknown>;
beforeAll(() => {
  rendered = renderExamplePools(EXAMPLES.map((e) => e.example));
}, 120_000);

describe('the single-purpose examples route their jobs to their pool', () => {
  it.each(EXAMPLES)(
    '$example: its jobs are served by its pool, complete, and a job it is not for finds no pool',
    async ({ example, labels, foreign }) => {
      const [pool] = Object.keys(exampleConfigurations(example));
      const job = { owner: 'my-org', repo: 'app', durationMinutes: 5 };
      const run = await policyCheck(
        { pools: rendered.get(example) },
        {
          start: '2026-03-02T09:00:00Z',
          jobs: [
            { ...job, labels, atMinute: 0, count: 3 },
            { ...job, labels: foreign, atMinute: 1 },
          ],
        },
      );

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`jobs routed per pool:\\n\\s+${pool}: 3\\n`));
      expect(run.stdout).toContain('unroutable: 1 (no-matching-pool: 1)');
      expect(run.stdout).toContain('invariants: ok');
    },
    120_000,
  );
});
