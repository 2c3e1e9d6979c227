import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';

// The webhook's zip has a budget (issue 14: 200 KB) it met by re-running interrupted jobs through
// `@octokit/core` instead of `@octokit/rest` (scripts/build.mjs, `webhookProblems`). These specs
// build the webhook's GitHub client alone with the bundles' esbuild options, so the rule is
// proven against real metafiles without building all eight bundles.
const packageRoot = join(import.meta.dirname, '..');
const bindings = join(import.meta.dirname, 'composition', 'bindings');

interface Input {
  readonly path: string;
  readonly bytes: number;
}
interface BuildScript {
  readonly esbuildOptions: (entry: string, outdir: string) => Parameters<typeof build>[0];
  readonly webhookProblems: (webhook: {
    inputs: readonly Input[];
    eagerInputs: readonly Input[];
    zipBytes: number;
  }) => string[];
  readonly WEBHOOK_ZIP_BUDGET_BYTES: number;
}
const script = async () =>
  (await import(pathToFileURL(join(packageRoot, 'scripts', 'build.mjs')).href)) as BuildScript;

const work = mkdtempSync(join(tmpdir(), 'hangar-webhook-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The modules `entry` brings into a bundle built as the Lambda bundles are. */
async function inputsOf(entry: string): Promise<Input[]> {
  const { esbuildOptions } = await script();
  const result = await build(esbuildOptions(entry, join(work, entry.replace(/\W/g, '_'))));
  return Object.values(result.metafile?.outputs ?? {}).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path, input]) => ({ path, bytes: input.bytesInOutput })),
  );
}

describe("the webhook bundle's rules", () => {
  it("the webhook's GitHub client is @octokit/core with App auth: no @octokit/rest, plugin or Bottleneck", async () => {
    const { webhookProblems } = await script();
    const inputs = await inputsOf(join(bindings, 'github-registry.ts'));
    const packages = new Set(inputs.map((i) => /@octokit\/[\w-]+/.exec(i.path)?.[0]).filter(Boolean));
    expect(packages).toContain('@octokit/core');
    expect(packages).toContain('@octokit/auth-app');
    expect(webhookProblems({ inputs, eagerInputs: [], zipBytes: 0 })).toEqual([]);
  }, 60_000);

  it('the build refuses a webhook that carries the control plane’s REST client', async () => {
    const { webhookProblems } = await script();
    const inputs = await inputsOf(join(bindings, 'github.ts'));
    expect(webhookProblems({ inputs, eagerInputs: [], zipBytes: 0 })).toEqual([
      expect.stringMatching(/^webhook bundle includes @octokit\/rest, an Octokit plugin or Bottleneck/),
    ]);
  }, 60_000);

  it('the build refuses a webhook zip one byte over 200,000 bytes', async () => {
    const { webhookProblems, WEBHOOK_ZIP_BUDGET_BYTES } = await script();
    expect(WEBHOOK_ZIP_BUDGET_BYTES).toBe(200_000);
    expect(webhookProblems({ inputs: [], eagerInputs: [], zipBytes: 200_000 })).toEqual([]);
    expect(webhookProblems({ inputs: [], eagerInputs: [], zipBytes: 200_001 })).toEqual([
      'webhook zip is 200001 bytes, over its budget of 200000',
    ]);
  });
});
