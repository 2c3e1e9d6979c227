// The shipped examples checked the way a user would: their pools.json rendered by the module's
// own pools-document (the JSON the Lambdas read), then `pnpm policy-check` over a short trace (its main, in process).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA } from '../../../infra/test/support/hcl';
import { policyCheckInProcess, type CliRun } from './cli-run';
import { renderWithTerraform, type RenderCase } from './pools-document';

type Configurations = Record<string, { readonly compute?: string; readonly instance_types?: string[] }>;

/** An example's runner_configs (its pools.json, Terraform's snake_case map). */
export function exampleConfigurations(example: string): Configurations {
  return JSON.parse(readFileSync(join(INFRA, 'examples', example, 'pools.json'), 'utf8')) as Configurations;
}

/** What multi-runner passes pools-document for each configuration; only the compute kind matters. */
function renderCase(example: string): RenderCase {
  const configurations = exampleConfigurations(example);
  const compute = Object.fromEntries(
    Object.entries(configurations).map(([id, c]) => [
      id,
      c.compute === 'fargate'
        ? { subnet_ids: ['subnet-1'], cluster: 'c', task_definition: `td-${id}`, container_name: 'runner' }
        : {
            subnet_ids: ['subnet-1'],
            launch_template_name: `lt-${id}`,
            instance_types: c.instance_types ?? ['m7i.large'],
          },
    ]),
  );
  return { configurations, compute };
}

/** The runtime pools JSON of each example, rendered in one Terraform run. */
export function renderExamplePools(examples: readonly string[]): Map<string, unknown> {
  const rendered = renderWithTerraform(examples.map(renderCase));
  return new Map(examples.map((example, i) => [example, rendered[i]]));
}

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'example-check-')), 'file.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** `pnpm policy-check --config … --trace …` from the repository root, in process. */
export function policyCheck(config: unknown, trace: unknown): Promise<CliRun> {
  return policyCheckInProcess('--config', writeJson(config), '--trace', writeJson(trace));
}
