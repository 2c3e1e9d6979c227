// The reference configurations the converter reads, all JSON (a .tfvars.json or plain JSON):
//   multi   { "multi_runner_config": { "<key>": { "runner_config": {...}, "matcherConfig": {...},
//             "fifo", "redrive_build_queue" } }, ...the multi-runner module's other inputs }
//           or the bare multi_runner_config map itself
//   single  the root module's inputs: { "runner_extra_labels": [...], "instance_types": [...], ... }
import { childPath } from '../policy-check/terraform-types';
import { isRecord, type Input, type Messages } from './messages';

export interface RunnerInput {
  /** The multi_runner_config key (the pool id to be), or `default` for the root module. */
  readonly key: string;
  readonly config: Input;
  readonly configPath: string;
  /** matcherConfig (multi) or the root module's inputs (single). */
  readonly matcher: Input;
  readonly matcherPath: string;
  /** The entry around runner_config (fifo, redrive_build_queue), or the root inputs. */
  readonly entry: Input;
  readonly entryPath: string;
}

export interface ReferenceInput {
  readonly form: 'single' | 'multi';
  /** Deployment-wide inputs (for single: all the root module's inputs). */
  readonly deployment: Input;
  readonly runners: readonly RunnerInput[];
}

const ENTRY_KEYS = ['runner_config', 'matcherConfig', 'fifo', 'redrive_build_queue'];
const MULTI = 'multi_runner_config';

const looksLikeEntries = (value: Record<string, unknown>) =>
  Object.keys(value).length > 0 &&
  Object.values(value).every((item) => isRecord(item) && 'runner_config' in item);

function entries(map: Record<string, unknown>, all: Messages): RunnerInput[] {
  const runners: RunnerInput[] = [];
  for (const [key, entry] of Object.entries(map)) {
    const path = childPath(MULTI, key);
    if (!isRecord(entry)) {
      all.error(path, 'must be an object with runner_config and matcherConfig');
      continue;
    }
    for (const extra of Object.keys(entry).filter((name) => !ENTRY_KEYS.includes(name))) {
      all.warn(childPath(path, extra), 'not carried over: not a key of a multi_runner_config entry');
    }
    const config = entry.runner_config;
    const matcher = entry.matcherConfig ?? {};
    if (!isRecord(config)) all.error(childPath(path, 'runner_config'), 'required: an object');
    if (!isRecord(matcher)) all.error(childPath(path, 'matcherConfig'), 'must be an object');
    if (!isRecord(config) || !isRecord(matcher)) continue;
    runners.push({
      key,
      config,
      configPath: childPath(path, 'runner_config'),
      matcher,
      matcherPath: childPath(path, 'matcherConfig'),
      entry,
      entryPath: path,
    });
  }
  return runners;
}

/** Recognises the form of a parsed file; malformed structure is reported as errors. */
export function readReference(document: unknown, all: Messages): ReferenceInput | undefined {
  if (!isRecord(document)) {
    all.error(
      '(root)',
      'must be a JSON object: a .tfvars.json of the reference module, or its multi_runner_config map',
    );
    return undefined;
  }
  if (MULTI in document) {
    const map = document[MULTI];
    if (!isRecord(map) || Object.keys(map).length === 0) {
      all.error(MULTI, 'must be a non-empty object of runner configurations');
      return undefined;
    }
    const deployment = Object.fromEntries(Object.entries(document).filter(([key]) => key !== MULTI));
    return { form: 'multi', deployment, runners: entries(map, all) };
  }
  if (looksLikeEntries(document)) return { form: 'multi', deployment: {}, runners: entries(document, all) };
  return {
    form: 'single',
    deployment: document,
    runners: [
      {
        key: 'default',
        config: document,
        configPath: '',
        matcher: document,
        matcherPath: '',
        entry: document,
        entryPath: '',
      },
    ],
  };
}
