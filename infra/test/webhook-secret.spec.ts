import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseWebhookSecrets } from '@hangar/runtime-lambda/config/webhook-secrets';
import { INFRA, loadModule } from './support/hcl';
import { evaluate } from './support/terraform';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const expression = (name: string): string => String(multi.locals[name]).replace(/^\$\{([\s\S]*)\}$/, '$1');

/**
 * What the module writes into the webhook-secret parameter for each way an operator can set
 * `webhook_secret`, evaluated by terraform itself (the locals are provider-free), then read
 * back by the runtime's own parser.
 */
function written(inputs: readonly string[]): string[] {
  const outputs = inputs.map(
    (input, i) => `
locals {
  input_${i}   = ${JSON.stringify(input)}
  secrets_${i} = ${expression('webhook_secrets')
    .replaceAll('local.webhook_secret_input', `local.input_${i}`)
    .replaceAll('local.github_app_external', 'false')}
}`,
  );
  const all = inputs.map((_, i) => `jsonencode(local.secrets_${i})`).join(', ');
  const result = evaluate(`${outputs.join('\n')}\noutput "written" { value = [${all}] }`, 'written');
  if (!result.ok) throw new Error(result.error);
  return result.value as string[];
}

describe('the webhook-secret SSM parameter the module writes', () => {
  it('is the JSON list of secrets, which the runtime reads back whole, commas and all', () => {
    const rotation = JSON.stringify(['new,secret', 'old-secret']);
    const values = written(['plain,with,commas', rotation, ' spaced ']);
    expect(values.map((value) => parseWebhookSecrets(value, 'p'))).toEqual([
      ['plain,with,commas'],
      ['new,secret', 'old-secret'],
      [' spaced '],
    ]);
    expect(multi.resource.aws_ssm_parameter?.webhook_secret?.[0]?.value).toBe(
      '${jsonencode(local.webhook_secrets)}',
    );
  });

  it('writes and outputs nothing with github_app_parameters (the secret is the operator’s parameter)', () => {
    const result = evaluate(
      `locals {
  github_app_external  = true
  webhook_secret_input = ${expression('webhook_secret_input').replaceAll('random_password.webhook_secret[0].result', '"unused"')}
  webhook_secrets      = ${expression('webhook_secrets')}
  webhook_secret       = ${expression('webhook_secret')}
}
variable "webhook_secret" {
  type      = string
  default   = null
  sensitive = true
}
output "written" {
  value     = { secrets = local.webhook_secrets, secret = local.webhook_secret }
  sensitive = true
}`,
      'written',
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toEqual({ secrets: [], secret: null });
    expect(multi.resource.aws_ssm_parameter?.webhook_secret?.[0]?.count).toBe(
      '${local.github_app_external ? 0 : 1}',
    );
  });

  it('outputs the current secret (the first of a rotation list) for the GitHub App', () => {
    expect(expression('webhook_secret')).toBe('local.github_app_external ? null : local.webhook_secrets[0]');
  });
});
