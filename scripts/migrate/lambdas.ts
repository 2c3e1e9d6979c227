// The reference's per-function memory, tracing and runtime → lambda_memory_sizes, tracing_mode,
// lambda_runtime (issue 12).
import { object, optional, tfBool, tfNumber, tfString, type Json } from '../policy-check/terraform-types';
import { read, type Input, type Messages } from './messages';

/** Reference memory input → Hangar handler (later keys of a handler win: the newer names). */
const MEMORY: Readonly<Record<string, string>> = {
  webhook_lambda_memory_size: 'webhook',
  scale_up_lambda_memory_size: 'scale-up',
  runners_scale_up_lambda_memory_size: 'scale-up',
  scale_down_lambda_memory_size: 'scale-down',
  runners_scale_down_lambda_memory_size: 'scale-down',
  runner_binaries_syncer_memory_size: 'binaries-syncer',
  runner_binaries_syncer_lambda_memory_size: 'binaries-syncer',
  pool_lambda_memory_size: 'pool',
};
const TRACING = object({
  mode: optional(tfString),
  capture_http_requests: optional(tfBool),
  capture_error: optional(tfBool),
});
const RUNTIMES = ['nodejs22.x', 'nodejs24.x'];

export function lambdaSettings(input: Input, all: Messages, out: Record<string, Json>): void {
  const sizes = Object.entries(MEMORY).flatMap(([key, handler]) => {
    const size = read<number>(all, input, key, tfNumber, '');
    return size === undefined ? [] : [[handler, size] as const];
  });
  if (sizes.length > 0) out.lambda_memory_sizes = Object.fromEntries(sizes);
  const tracing = read<Record<string, Json>>(all, input, 'tracing_config', TRACING, '');
  if (typeof tracing?.mode === 'string') out.tracing_mode = tracing.mode;
  const runtime = read<string>(all, input, 'lambda_runtime', tfString, '');
  if (runtime !== undefined && RUNTIMES.includes(runtime)) out.lambda_runtime = runtime;
  else if (runtime !== undefined)
    all.warn(
      'lambda_runtime',
      `not carried over: Hangar runs on ${RUNTIMES.join(' or ')}; its default nodejs24.x applies`,
    );
}

/** Deployment keys this file reads. */
export const LAMBDA_KEYS = [...Object.keys(MEMORY), 'tracing_config', 'lambda_runtime'];
