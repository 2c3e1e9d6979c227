// Runs infra/modules/pools-document with the real Terraform (it has no providers, so `terraform
// apply` works offline), several configurations in one run: one init and one apply however many
// cases a spec checks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA } from '../../../infra/test/support/hcl';
import { terraform } from '../../../infra/test/support/terraform';
import { hclString } from '../../migrate/hcl';

export const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');

export interface RenderCase {
  /** The `configurations` argument: a runner_configs map as JSON, or an HCL expression. */
  readonly configurations: unknown;
  readonly compute: unknown;
  /** Set when `configurations` is HCL source rather than a value to jsondecode. */
  readonly hcl?: boolean;
}

// hclString, not JSON.stringify: a `${` or `%{` in a value must not start an HCL template.
const expression = (value: unknown) => `jsondecode(${hclString(JSON.stringify(value))})`;

/** The pools JSON of each case, parsed; throws with Terraform's output when init or apply fails. */
export function renderWithTerraform(cases: readonly RenderCase[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-pools-'));
  try {
    const main = cases
      .map(
        (c, i) => `module "doc_${i}" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = ${c.hcl ? String(c.configurations) : expression(c.configurations)}
  compute        = ${expression(c.compute)}
}
output "json_${i}" { value = module.doc_${i}.json }
`,
      )
      .join('\n');
    writeFileSync(join(dir, 'main.tf'), main);
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color'],
    ]) {
      const run = terraform(args, dir);
      if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.stdout}\n${run.stderr}`);
    }
    const out = terraform(['output', '-no-color', '-json'], dir);
    if (out.status !== 0) throw new Error(out.stderr);
    const outputs = JSON.parse(out.stdout) as Record<string, { value: string }>;
    return cases.map((_, i) => JSON.parse(outputs[`json_${i}`]!.value) as unknown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
