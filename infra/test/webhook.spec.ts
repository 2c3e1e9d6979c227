import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, loadModule, only, type Block } from './support/hcl';
import { bounds, providerConstraints } from './support/versions';

const MULTI = join(INFRA, 'modules', 'multi-runner');
const multi = await loadModule(MULTI);
const permissions = Object.entries(multi.resource.aws_lambda_permission ?? {}).map(
  ([name, blocks]) => [name, only(blocks, name)] as [string, Block],
);
const functionUrl = only(multi.resource.aws_lambda_function_url?.webhook, 'aws_lambda_function_url.webhook');
const sameCount = (block: Block) => block.count === functionUrl.count;

describe('webhook function URL', () => {
  it('grants the public both actions a function URL created since October 2025 needs, each limited to URL calls', () => {
    const url = permissions.filter(([, p]) => p.action === 'lambda:InvokeFunctionUrl' && sameCount(p));
    const invoke = permissions.filter(
      ([, p]) => p.action === 'lambda:InvokeFunction' && p.principal === '*' && sameCount(p),
    );
    expect(url.map(([, p]) => [p.principal, p.function_url_auth_type])).toEqual([['*', 'NONE']]);
    // Without lambda:InvokedViaFunctionUrl this would let any AWS account call Invoke directly.
    expect(invoke.map(([, p]) => p.invoked_via_function_url)).toEqual([true]);
    expect(functionUrl.authorization_type).toBe('NONE');
  });

  it('grants lambda:InvokeFunction to "*" nowhere else', () => {
    const open = permissions.filter(([, p]) => p.principal === '*' && p.invoked_via_function_url !== true);
    expect(open.map(([, p]) => p.action)).toEqual(['lambda:InvokeFunctionUrl']);
  });

  it('requires a provider that has invoked_via_function_url (hashicorp/aws 6.28.0 and later)', async () => {
    const floor = bounds((await providerConstraints(MULTI)).aws ?? '')?.floor ?? '0.0.0';
    const [major = 0, minor = 0] = floor.split('.').map(Number);
    expect(major > 6 || (major === 6 && minor >= 28)).toBe(true);
  });

  it('is how the fargate example receives webhooks', async () => {
    const example = await loadModule(join(INFRA, 'examples', 'fargate'));
    expect(only(example.module.hangar, 'module hangar').webhook_endpoint_type).toBe('function-url');
  });
});
