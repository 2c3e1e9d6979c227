// `pnpm policy-check --config FILE [--form auto|runtime|terraform] [--trace FILE] [--random N [--seed S]]`
// Validates a Hangar pools configuration (the runtime form, or Terraform's runner_configs as in
// infra/examples/*/pools.json or a .tfvars.json: see config-forms.ts), simulates workload traces
// through the real use cases and reports the fleet's behaviour and any broken invariant.
// Exit codes: 0 ok; 1 a configuration/trace problem or a violated invariant; 2 bad usage.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig, type PolicyCheckConfig } from './config';
import type { ConfigForm, RequestedForm } from './config-forms';
import { checkRandomTraces } from './random';
import { summarise } from './report';
import { simulate } from './simulate';
import { readTrace } from './trace';

const USAGE =
  'usage: pnpm policy-check --config FILE [--form auto|runtime|terraform] [--trace FILE] [--random N] [--seed S]';

const FORM_NAMES: Readonly<Record<ConfigForm, string>> = {
  runtime: 'pools JSON',
  'runner-configs': 'Terraform runner_configs, rendered like infra/modules/pools-document',
  tfvars: 'Terraform inputs, rendered like infra/modules/pools-document',
};

function fail(code: 1 | 2, lines: readonly string[]): never {
  for (const line of lines) console.error(line);
  process.exit(code);
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(1, [
      `${what} ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(1, [
      `${what} ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(2, [`${flag} must be a whole number, got "${value}"`, USAGE]);
  return Number(value);
}

async function runTrace(config: PolicyCheckConfig, path: string): Promise<boolean> {
  const trace = readTrace(readJson(path, 'trace'));
  if (!trace.ok)
    fail(1, [`trace ${path} has problems:`, ...trace.problems.map((problem) => `  ✗ ${problem}`)]);
  const result = await simulate(config, trace.trace);
  console.log(`trace ${path}`);
  for (const line of summarise(result)) console.log(`  ${line}`);
  if (result.violations.length === 0) {
    console.log(
      '  invariants: ok (alive ≤ max, no busy runner terminated, one machine per launch key, every routable job completed)',
    );
    return true;
  }
  console.log(`  invariants: ${result.violations.length} violated`);
  for (const violation of result.violations) console.log(`  ✗ ${violation}`);
  return false;
}

async function main(): Promise<void> {
  let values: { config?: string; form?: string; trace?: string; random?: string; seed?: string };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        form: { type: 'string' },
        trace: { type: 'string' },
        random: { type: 'string' },
        seed: { type: 'string' },
      },
    }));
  } catch (error) {
    return fail(2, [error instanceof Error ? error.message : String(error), USAGE]);
  }
  if (!values.config) fail(2, ['--config is required', USAGE]);
  const runs = wholeNumber(values.random, '--random');
  const seed = wholeNumber(values.seed, '--seed');
  if (!values.trace && runs === undefined) fail(2, ['give --trace FILE, --random N, or both', USAGE]);
  const form = values.form ?? 'auto';
  if (!['auto', 'runtime', 'terraform'].includes(form))
    fail(2, [`--form must be auto, runtime or terraform, got "${form}"`, USAGE]);

  const config = readConfig(readJson(values.config, 'config'), form as RequestedForm);
  if (!config.ok) {
    fail(1, [
      `config ${values.config} (${FORM_NAMES[config.form]}) has problems:`,
      ...config.problems.map((problem) => `  ✗ ${problem}`),
    ]);
  }
  const pools = config.config.settings.pools;
  const read = config.form === 'runtime' ? '' : ` — read as ${FORM_NAMES[config.form]}`;
  console.log(
    `config ${values.config}: ok (${pools.length} pool${pools.length === 1 ? '' : 's'}: ${pools.map((pool) => pool.id).join(', ')})${read}`,
  );

  let ok = true;
  if (values.trace) ok = (await runTrace(config.config, values.trace)) && ok;
  if (runs !== undefined) {
    const random = await checkRandomTraces(config.config, runs, seed);
    if (random.ok) console.log(`random: ${random.runs} generated traces kept every invariant`);
    else console.log(random.report);
    ok = random.ok && ok;
  }
  console.log(ok ? 'policy-check: ok' : 'policy-check: FAILED');
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error('policy-check crashed (a bug in Hangar or the checker, not in your configuration):');
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
