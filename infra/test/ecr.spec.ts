import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, isObject, loadModule, strings, type Block, type Json } from './support/hcl';
import { evaluate } from './support/terraform';

const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));

function repositories(images: Record<string, string>) {
  const configs = Object.fromEntries(
    Object.entries(images).map(([id, image]) => [
      id,
      { labels: ['self-hosted'], owner: 'acme', compute: 'fargate', fargate: { image } },
    ]),
  );
  const compute = Object.fromEntries(Object.keys(images).map((id) => [id, { subnet_ids: ['subnet-1'] }]));
  return evaluate(
    `module "doc" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = jsondecode(${JSON.stringify(JSON.stringify(configs))})
  compute        = jsondecode(${JSON.stringify(JSON.stringify(compute))})
}
output "repositories" { value = module.doc.image_repositories }
`,
    'repositories',
  );
}

const blocks = (value: Json | undefined): Block[] => (Array.isArray(value) ? value.filter(isObject) : []);

describe('the Fargate execution role pulls only the configured images', () => {
  it('derives the ECR repositories from the image URIs (tag or digest), once each; public images need none', () => {
    const result = repositories({
      tagged: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hangar-runner:2.321.0',
      digest: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hangar-runner@sha256:' + 'a'.repeat(64),
      nested: '210987654321.dkr.ecr.us-east-2.amazonaws.com/ci/runners/arm64:latest',
      public: 'public.ecr.aws/hangar/runner:2.321.0',
      hub: 'ghcr.io/acme/runner:1',
    });
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toEqual([
      { account: '123456789012', region: 'eu-west-1', name: 'hangar-runner' },
      { account: '210987654321', region: 'us-east-2', name: 'ci/runners/arm64' },
    ]);
  });

  it('grants the image pulls on those repositories only, and no pull statement without one', () => {
    const execution = multi.data.aws_iam_policy_document?.runner_task_execution?.[0] ?? {};
    const everything = strings(execution as Json).map((s) => s.text);
    expect(everything.filter((text) => text.includes('repository/*'))).toEqual([]);
    const pulls = isObject(execution.dynamic) ? blocks(execution.dynamic.statement) : [];
    const pull = pulls.find((g) => blocks(g.content).some((c) => c.sid === 'PullRunnerImages'));
    expect(pull?.for_each).toBe('${length(local.runner_image_repository_arns) > 0 ? [1] : []}');
    expect(blocks(pull?.content)[0]?.resources).toBe('${local.runner_image_repository_arns}');
    expect(String(multi.locals.runner_image_repository_arns)).toContain(
      'module.pools_document.image_repositories',
    );
  });
});
