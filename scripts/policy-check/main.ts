// `pnpm policy-check --config FILE [--trace FILE] [--random N [--seed S]] [--report FILE.json]`
// `pnpm policy-check --compare A B --trace FILE [--report FILE.json] [--prices FILE]`
// Validates a Hangar pools configuration, simulates workload traces through the real use cases
// and reports the fleet's behaviour and any broken invariant.
// Exit codes: 0 ok; 1 a configuration/trace problem or a violated invariant; 2 bad usage.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig } from './config';
import { checkRandomTraces } from './random';
import { summarise } from './report';
import { simulate } from './simulate';
import { readTrace, type Trace } from './trace';
import { runPolicy } from './compare';
import { comparePolicies, writeReport, type NamedConfig } from './compare-main';

const USAGE =
  'usage: pnpm policy-check --config FILE [--trace FILE] [--random N] [--seed S] [--report FILE.json]\n' +
  '       pnpm policy-check --compare CONFIG_A CONFIG_B --trace FILE [--report FILE.json] [--prices FILE]';

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

function loadTrace(path: string): Trace {
  const trace = readTrace(readJson(path, 'trace'));
  if (!trace.ok)
    fail(1, [`trace ${path} has problems:`, ...trace.problems.map((problem) => `  ✗ ${problem}`)]);
  return trace.trace;
}

function loadConfig(path: string): NamedConfig {
  const raw = readJson(path, 'config');
  const config = readConfig(raw);
  if (!config.ok)
    fail(1, [`config ${path} has problems:`, ...config.problems.map((problem) => `  ✗ ${problem}`)]);
  return { path, config: config.config, raw };
}

async function runTrace(named: NamedConfig, path: string, reportPath: string | undefined): Promise<boolean> {
  const config = named.config;
  const trace = { trace: loadTrace(path) };
  if (reportPath) {
    const run = await runPolicy(named.path, config, named.raw, trace.trace);
    console.log(`report written to ${writeReport([run], path, reportPath).join(' and ')}`);
  }
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
  let values: {
    config?: string;
    trace?: string;
    random?: string;
    seed?: string;
    compare?: string;
    report?: string;
    prices?: string;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        trace: { type: 'string' },
        random: { type: 'string' },
        seed: { type: 'string' },
        compare: { type: 'string' },
        report: { type: 'string' },
        prices: { type: 'string' },
      },
    }));
  } catch (error) {
    return fail(2, [error instanceof Error ? error.message : String(error), USAGE]);
  }
  if (values.compare !== undefined) {
    const other = positionals[0];
    if (!other || positionals.length > 1 || !values.trace)
      fail(2, ['--compare takes two configurations and needs --trace', USAGE]);
    const prices = values.prices ? (readJson(values.prices, 'prices') as Record<string, number>) : {};
    const both = [loadConfig(values.compare), loadConfig(other as string)] as const;
    const ok = await comparePolicies(
      both,
      loadTrace(values.trace as string),
      values.trace as string,
      values.report,
      prices,
    );
    console.log(ok ? 'policy-check: ok' : 'policy-check: FAILED');
    process.exit(ok ? 0 : 1);
  }
  if (positionals.length > 0) fail(2, [`unexpected argument ${positionals[0]}`, USAGE]);
  if (!values.config) fail(2, ['--config is required', USAGE]);
  const runs = wholeNumber(values.random, '--random');
  const seed = wholeNumber(values.seed, '--seed');
  if (!values.trace && runs === undefined) fail(2, ['give --trace FILE, --random N, or both', USAGE]);

  const named = loadConfig(values.config);
  const config = { config: named.config };
  const pools = config.config.settings.pools;
  console.log(
    `config ${values.config}: ok (${pools.length} pool${pools.length === 1 ? '' : 's'}: ${pools.map((pool) => pool.id).join(', ')})`,
  );

  let ok = true;
  if (values.trace) ok = (await runTrace(named, values.trace, values.report)) && ok;
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
