// The runner machine of a runner configuration (issue 12): volumes, IMDS, key pair, public IP,
// user data, job hooks, run-as-root, default labels, log shipping. Most keys carry over as they
// are; the warnings say where Hangar differs.
import {
  childPath,
  list,
  object,
  optional,
  tfBool,
  tfNumber,
  tfString,
  type Json,
} from '../policy-check/terraform-types';
import type { RunnerInput } from './input';
import { read, type Input, type Messages } from './messages';
import { BLOCK_DEVICE_MAPPINGS } from './reference-types';

type JsonObject = { [key: string]: Json };

const METADATA_OPTIONS = object({
  http_endpoint: optional(tfString),
  http_tokens: optional(tfString),
  http_put_response_hop_limit: optional(tfNumber),
  instance_metadata_tags: optional(tfString),
});
const LOG_FILES = list(
  object({
    log_group_name: optional(tfString),
    prefix_log_group: optional(tfBool),
    file_path: tfString,
    log_stream_name: optional(tfString),
  }),
);
/** Keys copied as they are when they differ from the reference default. */
const SAME_NAME: readonly (readonly [string, typeof tfString, Json])[] = [
  ['userdata_pre_install', tfString, ''],
  ['userdata_post_install', tfString, ''],
  ['runner_hook_job_started', tfString, ''],
  ['runner_hook_job_completed', tfString, ''],
  ['runner_as_root', tfBool, false],
  ['runner_disable_default_labels', tfBool, false],
  ['enable_cloudwatch_agent', tfBool, true],
];
const VOLUME_KEYS = ['volume_type', 'volume_size', 'iops', 'throughput', 'encrypted', 'kms_key_id'];

function volumes(runner: RunnerInput, all: Messages, out: JsonObject, os: string): void {
  const { config, configPath } = runner;
  const mappings = read<JsonObject[]>(
    all,
    config,
    'block_device_mappings',
    BLOCK_DEVICE_MAPPINGS,
    configPath,
  );
  const size = mappings?.[0]?.volume_size ?? read<number>(all, config, 'volume_size', tfNumber, configPath);
  if (typeof size === 'number' && size !== 30) out.root_volume_size_gb = size;
  const root = os === 'windows' ? '/dev/sda1' : '/dev/xvda';
  const carried = (mappings ?? []).flatMap((m, i): JsonObject[] => {
    if (m.volume_initialization_rate !== null)
      all.warn(
        childPath(childPath(configPath, 'block_device_mappings'), i),
        'volume_initialization_rate not carried over: Hangar does not set it',
      );
    const keys = [...VOLUME_KEYS, 'snapshot_id', 'delete_on_termination'];
    const entry = Object.fromEntries(keys.filter((key) => m[key] !== null).map((key) => [key, m[key]!]));
    // The first mapping is the root volume (its size is root_volume_size_gb); Hangar puts it
    // on the image's root device, so a device name is kept only for further volumes.
    if (i === 0 || m.device_name === root) {
      delete entry.volume_size;
      if (entry.volume_type === 'gp3') delete entry.volume_type;
      if (entry.encrypted === true) delete entry.encrypted;
      if (entry.delete_on_termination === true) delete entry.delete_on_termination;
      return Object.keys(entry).length === 0 ? [] : [entry];
    }
    return [{ device_name: m.device_name ?? `/dev/sd${String.fromCharCode(101 + i)}`, ...entry }];
  });
  if (carried.length > 0) out.block_device_mappings = carried;
}

function metadata(runner: RunnerInput, all: Messages, out: JsonObject): void {
  const { config, configPath } = runner;
  const options = read<JsonObject>(all, config, 'runner_metadata_options', METADATA_OPTIONS, configPath);
  if (!options) return;
  const where = childPath(configPath, 'runner_metadata_options');
  for (const key of ['http_endpoint', 'instance_metadata_tags'])
    if (options[key] === 'disabled')
      all.warn(
        childPath(where, key),
        'not carried over: Hangar keeps it enabled (the boot script reads its runner id from IMDS tags)',
      );
  const carried: JsonObject = {};
  const tokens = options.http_tokens ?? null;
  if (tokens !== null && tokens !== 'required') carried.http_tokens = tokens;
  const hops = options.http_put_response_hop_limit ?? null;
  if (hops !== null && hops !== 1) carried.http_put_response_hop_limit = hops;
  if (Object.keys(carried).length > 0) out.metadata_options = carried;
}

function logs(runner: RunnerInput, all: Messages, out: JsonObject): void {
  const { config, configPath } = runner;
  const files = read<JsonObject[]>(all, config, 'runner_log_files', LOG_FILES, configPath);
  if (files && files.length > 0) {
    out.runner_log_files = files.map((f) => {
      const path = String(f.file_path);
      const stream = String(f.log_stream_name ?? '').replace(/\{instance_id\}\/?/g, '');
      return { file_path: path, log_stream_name: stream || (path.split(/[\\/]/).pop() ?? 'log') };
    });
    all.warn(
      childPath(configPath, 'runner_log_files'),
      'partly carried over: file paths and stream names only; every file goes to the runner log group, stream <instance id>/<log_stream_name> (Hangar already ships its boot and runner logs)',
    );
  }
  const agent = read<string>(all, config, 'cloudwatch_config', tfString, configPath);
  if (agent) {
    out.cloudwatch_config = agent;
    all.warn(
      childPath(configPath, 'cloudwatch_config'),
      "carried over: check its log groups — the runner role may write only to Hangar's runner log group (runner_log_group output)",
    );
  }
}

/** Writes the machine attributes of one pool into `out`; `deployment` holds key_name and the public-IP choice. */
export function machineSettings(
  runner: RunnerInput,
  all: Messages,
  out: JsonObject,
  os: string,
  deployment: Input,
): void {
  const { config, configPath } = runner;
  volumes(runner, all, out, os);
  metadata(runner, all, out);
  for (const [key, type, fallback] of SAME_NAME) {
    const value = read<Json>(all, config, key, type, configPath);
    if (value !== undefined && value !== fallback) out[key] = value;
  }
  if (read<boolean>(all, config, 'enable_userdata', tfBool, configPath) === false)
    all.warn(
      childPath(configPath, 'enable_userdata'),
      'not carried over: an image built for the reference starts its runner the reference\'s way; Hangar\'s boot script starts a baked runner (prebuilt_image = true). Set enable_userdata = false only for an image that does what docs/infra.md ("User data") says',
    );
  for (const key of ['userdata_template', 'userdata_content']) {
    if (read<string>(all, config, key, tfString, configPath))
      all.warn(
        childPath(configPath, key),
        'not carried over: the reference\'s template uses its own variables; rewrite it with Hangar\'s (docs/infra.md, "User data") and set userdata_template',
      );
  }
  logs(runner, all, out);
  const keyName = read<string>(all, deployment, 'key_name', tfString, '');
  if (keyName) out.key_name = keyName;
  const publicIp = read<boolean>(all, deployment, 'associate_public_ipv4_address', tfBool, '');
  if (publicIp !== undefined) out.associate_public_ipv4_address = publicIp;
}

/** Runner keys this file reads. */
export const MACHINE_KEYS = [
  'block_device_mappings',
  'volume_size',
  'runner_metadata_options',
  'userdata_template',
  'userdata_content',
  'runner_log_files',
  'cloudwatch_config',
  'enable_userdata',
  ...SAME_NAME.map(([key]) => key),
];

/** Deployment keys this file reads (once per pool). */
export const MACHINE_DEPLOYMENT_KEYS = ['key_name', 'associate_public_ipv4_address'];
