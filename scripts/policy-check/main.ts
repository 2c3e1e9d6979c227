// `pnpm policy-check --config FILE [--form auto|runtime|terraform] [--trace FILE] [--random N [--seed S]] [--report FILE.json]`
// `pnpm policy-check --compare A B --trace FILE [--form ...] [--report FILE.json] [--prices FILE]`
// Validates a Hangar pools configuration (the runtime form, or Terraform's runner_configs as in
// infra/examples/*/pools.json or a .tfvars.json: see config-forms.ts), simulates workload traces
// through the real use cases and reports the fleet's behaviour and any broken invariant.
// Exit codes: 0 ok; 1 a configuration/trace problem or a violated invariant; 2 bad usage.
// `main` is the whole command (cli.ts runs it on the process; the specs run it in process).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliExit, lineTo, type CliIo } from './cli-io';
import { readConfig } from './config';
import type { ConfigForm, RequestedForm } from './config-forms';
import { checkRandomTraces } from './random';
import { summarise } from './report';
import { simulate } from './simulate';
import { readTrace, type Trace } from './trace';
import { runPolicy } from './compare';
import { comparePolicies, writeReport, type NamedConfig } from './compare-main';

const USAGE =
  'usage: pnpm policy-check --config FILE [--form auto|runtime|terraform] [--trace FILE] [--random N] [--seed S] [--report FILE.json]\n' +
  '       pnpm policy-check --compare CONFIG_A CONFIG_B --trace FILE [--form ...] [--report FILE.json] [--prices FILE]';

const FORM_NAMES: Readonly<Record<ConfigForm, string>> = {
  runtime: 'pools JSON',
  'runner-configs': 'Terraform runner_configs, rendered like infra/modules/pools-document',
  tfvars: 'Terraform inputs, rendered like infra/modules/pools-document',
};

function fail(code: 1 | 2, lines: readonly string[]): never {
  throw new CliExit(code, lines);
}

function readJson(cwd: string, path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
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

function loadTrace(cwd: string, path: string): Trace {
  const trace = readTrace(readJson(cwd, path, 'trace'));
  if (!trace.ok)
    fail(1, [`trace ${path} has problems:`, ...trace.problems.map((problem) => `  ✗ ${problem}`)]);
  return trace.trace;
}

function loadConfig(
  cwd: string,
  path: string,
  form: RequestedForm,
): NamedConfig & { readonly form: ConfigForm } {
  const config = readConfig(readJson(cwd, path, 'config'), form);
  if (!config.ok) {
    fail(1, [
      `config ${path} (${FORM_NAMES[config.form]}) has problems:`,
      ...config.problems.map((problem) => `  ✗ ${problem}`),
    ]);
  }
  return { path, config: config.config, raw: config.document, form: config.form };
}

async function runTrace(
  io: CliIo,
  named: NamedConfig,
  path: string,
  reportPath: string | undefined,
): Promise<boolean> {
  const print = lineTo(io);
  const config = named.config;
  const trace = { trace: loadTrace(io.cwd, path) };
  if (reportPath) {
    const run = await runPolicy(named.path, config, named.raw, trace.trace);
    print(`report written to ${writeReport([run], path, resolve(io.cwd, reportPath)).join(' and ')}`);
  }
  const result = await simulate(config, trace.trace);
  print(`trace ${path}`);
  for (const line of summarise(result)) print(`  ${line}`);
  if (result.violations.length === 0) {
    print(
      '  invariants: ok (alive ≤ max, no busy runner terminated, one machine per launch key, every routable job completed)',
    );
    return true;
  }
  print(`  invariants: ${result.violations.length} violated`);
  for (const violation of result.violations) print(`  ✗ ${violation}`);
  return false;
}

interface Flags {
  config?: string;
  form?: string;
  trace?: string;
  random?: string;
  seed?: string;
  compare?: string;
  report?: string;
  prices?: string;
}

function parseFlags(argv: readonly string[]): { values: Flags; positionals: string[]; form: RequestedForm } {
  let parsed: { values: Flags; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        form: { type: 'string' },
        trace: { type: 'string' },
        random: { type: 'string' },
        seed: { type: 'string' },
        compare: { type: 'string' },
        report: { type: 'string' },
        prices: { type: 'string' },
      },
    });
  } catch (error) {
    return fail(2, [error instanceof Error ? error.message : String(error), USAGE]);
  }
  const form = parsed.values.form ?? 'auto';
  if (!['auto', 'runtime', 'terraform'].includes(form))
    fail(2, [`--form must be auto, runtime or terraform, got "${form}"`, USAGE]);
  return { ...parsed, form: form as RequestedForm };
}

async function compare(
  io: CliIo,
  values: Flags,
  positionals: readonly string[],
  form: RequestedForm,
): Promise<number> {
  const other = positionals[0];
  if (!values.compare || !other || positionals.length > 1 || !values.trace)
    return fail(2, ['--compare takes two configurations and needs --trace', USAGE]);
  const prices = values.prices ? (readJson(io.cwd, values.prices, 'prices') as Record<string, number>) : {};
  const both = [loadConfig(io.cwd, values.compare, form), loadConfig(io.cwd, other, form)] as const;
  const report = values.report === undefined ? undefined : resolve(io.cwd, values.report);
  const trace = loadTrace(io.cwd, values.trace);
  const ok = await comparePolicies(both, trace, values.trace, report, prices, lineTo(io));
  lineTo(io)(ok ? 'policy-check: ok' : 'policy-check: FAILED');
  return ok ? 0 : 1;
}

async function check(io: CliIo, argv: readonly string[]): Promise<number> {
  const print = lineTo(io);
  const { values, positionals, form } = parseFlags(argv);
  if (values.compare !== undefined) return compare(io, values, positionals, form);
  if (positionals.length > 0) fail(2, [`unexpected argument ${positionals[0]}`, USAGE]);
  if (!values.config) return fail(2, ['--config is required', USAGE]);
  const runs = wholeNumber(values.random, '--random');
  const seed = wholeNumber(values.seed, '--seed');
  if (!values.trace && runs === undefined) fail(2, ['give --trace FILE, --random N, or both', USAGE]);

  const named = loadConfig(io.cwd, values.config, form);
  const pools = named.config.settings.pools;
  const read = named.form === 'runtime' ? '' : ` — read as ${FORM_NAMES[named.form]}`;
  print(
    `config ${values.config}: ok (${pools.length} pool${pools.length === 1 ? '' : 's'}: ${pools.map((pool) => pool.id).join(', ')})${read}`,
  );

  let ok = true;
  if (values.trace) ok = (await runTrace(io, named, values.trace, values.report)) && ok;
  if (runs !== undefined) {
    const random = await checkRandomTraces(named.config, runs, seed);
    if (random.ok) print(`random: ${random.runs} generated traces kept every invariant`);
    else print(random.report);
    ok = random.ok && ok;
  }
  print(ok ? 'policy-check: ok' : 'policy-check: FAILED');
  return ok ? 0 : 1;
}

/** The whole command on `argv` (the arguments after the script); resolves to its exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await check(io, argv);
  } catch (error) {
    if (error instanceof CliExit) {
      for (const line of error.lines) io.stderr(`${line}\n`);
      return error.code;
    }
    io.stderr('policy-check crashed (a bug in Hangar or the checker, not in your configuration):\n');
    io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
