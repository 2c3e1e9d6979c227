// A reference configuration → Hangar's multi-runner inputs (runner_configs and the module
// inputs), with a message for every setting that was not carried over. The result is checked by
// rendering it exactly as Terraform will (policy-check's pools-document mirror + the runtime
// schema): a converter bug must never hand the user a configuration that does not render.
import { poolsSchema } from '../../packages/runtime-lambda/src/config/pools-schema';
import { renderPools } from '../policy-check/pools-document';
import { readRunnerConfigs, standInCompute } from '../policy-check/runner-configs';
import { childPath, type Json } from '../policy-check/terraform-types';
import { DEPLOYMENT_HANDLED, convertDeployment } from './convert-deployment';
import { RUNNER_HANDLED, convertRunner, type ConvertOptions, type Pool } from './convert-runner';
import { readReference } from './input';
import { messages, read, type Input, type Message, type Messages } from './messages';
import { fateMessage, isInert, referenceKey, type KeyScope } from './reference-keys';
import { strings } from './reference-types';
import { emptyShared, sharedInputs } from './shared';

export interface Conversion {
  /** Hangar's module inputs, runner_configs last; empty when there are errors. */
  readonly inputs: Record<string, Json>;
  readonly messages: readonly Message[];
}

const MULTI_MATCHER_HANDLED = new Set(['labelMatchers', 'exactMatch', 'bidirectionalLabelMatch', 'priority']);
const ROOT_MATCHER_HANDLED = [
  'enable_runner_workflow_job_labels_check_all',
  'enable_runner_bidirectional_label_match',
  'disable_check_wokflow_job_labels',
  'redrive_build_queue',
  'redrive_policy_build_queue',
];

/** The message a key's fate calls for; unknown keys are reported as such. */
function reportFate(
  all: Messages,
  path: string,
  key: string,
  value: unknown,
  scopes: readonly KeyScope[],
): void {
  for (const scope of scopes) {
    const known = referenceKey(scope, key);
    if (!known) continue;
    if (known.status === 'mapped' || known.status === 'partly') {
      all.warn(path, `not carried over: the reference module takes ${key} elsewhere, not here`);
    } else if (!isInert(known, value)) {
      const fate = fateMessage(known);
      if (fate.level === 'warning') all.warn(path, fate.message);
      else all.note(path, fate.message);
    }
    return;
  }
  all.warn(
    path,
    'not carried over: not an input of the reference module this converter knows (a typo, or a newer version?)',
  );
}

function leftovers(
  input: Input,
  base: string,
  handled: ReadonlySet<string>,
  scopes: readonly KeyScope[],
  all: Messages,
) {
  for (const [key, value] of Object.entries(input)) {
    if (!handled.has(key)) reportFate(all, childPath(base, key), key, value, scopes);
  }
}

/** A Hangar pool id: lower-case letters, digits and dashes, at most 40, unique. */
function poolId(wanted: string, taken: Set<string>): string {
  let base = wanted
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  base = base.slice(0, 40).replace(/-+$/, '') || 'pool';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base.slice(0, 37).replace(/-+$/, '')}-${n}`;
  taken.add(id);
  return id;
}

function poolsById(pools: readonly Pool[], all: Messages): Record<string, Json> {
  const taken = new Set<string>();
  return Object.fromEntries(
    pools.map((pool) => {
      const id = poolId(pool.id, taken);
      if (id !== pool.id)
        all.note(
          pool.path,
          `pool id "${id}" (Hangar ids are lower-case letters, digits and dashes, at most 40, unique)`,
        );
      return [id, pool.config];
    }),
  );
}

/** Renders runner_configs as Terraform will; a failure here is a bug in the converter. */
function assertRenders(runnerConfigs: Record<string, Json>): void {
  const read = readRunnerConfigs(runnerConfigs);
  const parsed = poolsSchema.safeParse(renderPools(read.configs, standInCompute(read.configs)));
  const problems = [
    ...read.problems,
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  if (problems.length > 0)
    throw new Error(`the converted runner_configs do not render (a converter bug): ${problems.join('; ')}`);
}

export function convertReference(document: unknown, options: ConvertOptions): Conversion {
  const all = messages();
  const reference = readReference(document, all);
  if (!reference) return { inputs: {}, messages: all.list };
  const multi = reference.form === 'multi';
  const shared = emptyShared();
  const allowList = read<string[]>(all, reference.deployment, 'repository_white_list', strings, '') ?? [];
  const pools = reference.runners.flatMap((runner) =>
    convertRunner(runner, all, options, { allowList, multi, shared, deployment: reference.deployment }),
  );
  const deployment = convertDeployment(reference.deployment, all, shared, multi);
  const inputs = { ...deployment, ...sharedInputs(shared, all) };
  if (multi) {
    for (const runner of reference.runners) {
      leftovers(runner.config, runner.configPath, RUNNER_HANDLED, ['runner'], all);
      leftovers(runner.matcher, runner.matcherPath, MULTI_MATCHER_HANDLED, ['matcher'], all);
      if ('fifo' in runner.entry)
        reportFate(all, childPath(runner.entryPath, 'fifo'), 'fifo', runner.entry.fifo, ['matcher']);
    }
    leftovers(reference.deployment, '', DEPLOYMENT_HANDLED, ['deployment', 'runner', 'matcher'], all);
  } else {
    const handled = new Set([...RUNNER_HANDLED, ...DEPLOYMENT_HANDLED, ...ROOT_MATCHER_HANDLED]);
    leftovers(reference.deployment, '', handled, ['runner', 'matcher', 'deployment'], all);
  }
  if (all.list.some((message) => message.level === 'error')) return { inputs: {}, messages: all.list };
  if (pools.length === 0) {
    all.error('(root)', 'no runner configuration could be converted (see the warnings)');
    return { inputs: {}, messages: all.list };
  }
  const runnerConfigs = poolsById(pools, all);
  assertRenders(runnerConfigs);
  return { inputs: { ...inputs, runner_configs: runnerConfigs }, messages: all.list };
}
