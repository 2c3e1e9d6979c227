import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, loadModule, only } from './support/hcl';
import { toHcl, unwrap } from './support/hcl-text';
import { evaluateFiles } from './support/terraform';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));

/**
 * multi-runner's `binaries_platforms` local (HANGAR_BINARIES_PLATFORMS of the binaries syncer)
 * for `configs`, evaluated by terraform with the module's own runner_configs type.
 */
function platformsFor(configs: Record<string, unknown>): unknown {
  const type = unwrap(only(multi.variable.runner_configs, 'runner_configs').type);
  const main = `variable "runner_configs" {
  type = ${type}
}
locals {
  binaries_platforms = ${toHcl(multi.locals.binaries_platforms ?? null)}
}
output "platforms" {
  value = join(",", local.binaries_platforms)
}
`;
  const result = evaluateFiles(
    { 'main.tf': main, 'terraform.tfvars.json': JSON.stringify({ runner_configs: configs }) },
    'platforms',
  );
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('the binaries syncer mirrors the builds the runner configurations boot from', () => {
  it('names each OS and architecture once, Windows as the release names it, Fargate as Linux', () => {
    const base = { labels: ['self-hosted'], owner: 'acme' };
    const platforms = platformsFor({
      small: { ...base },
      large: { ...base, instance_types: ['m7i.xlarge'] },
      graviton: { ...base, architecture: 'arm64' },
      windows: { ...base, os: 'windows' },
      fargate: { ...base, compute: 'fargate', fargate: { image: 'runner:latest' } },
    });
    expect(platforms).toBe('linux-arm64,linux-x64,win-x64');
  });
});
