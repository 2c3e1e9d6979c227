import type { HandlerName, VariableName } from './environment';
import { GITHUB_APP_USERS, variablesFor } from './environment';

/** The parsed values the conflict checks look at (a subset of RuntimeEnvironment). */
export interface ConflictInputs {
  readonly scaleUpQueueUrl?: unknown;
  readonly scaleUpDelaySeconds?: unknown;
  readonly githubAppsParameter?: unknown;
  readonly githubAppParameters?: unknown;
}

/** A URL whose queue name ends in `.fifo`: SQS names FIFO queues that way, and only them. */
function isFifoQueue(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).pathname.replace(/\/+$/, '').endsWith('.fifo');
  } catch {
    return url.endsWith('.fifo');
  }
}

/**
 * Settings that are each valid but cannot work together, as ConfigurationError problems.
 *
 * A scale-up delay on a FIFO queue: SQS FIFO queues take no per-message DelaySeconds (only a
 * queue-wide delay, which would also hold back pool top-ups and retries), so every `queued`
 * webhook would fail when it enqueues its job. The Terraform module refuses the same
 * combination at plan time (queues_fifo with scale_up_delay_seconds > 0). And the GitHub App
 * variables, of which a function that calls GitHub needs exactly one.
 */
export function settingConflicts(values: ConflictInputs, handler: HandlerName): string[] {
  const reads = new Set<VariableName>(variablesFor(handler));
  const problems: string[] = [];
  const delay = typeof values.scaleUpDelaySeconds === 'number' ? values.scaleUpDelaySeconds : 0;
  if (reads.has('HANGAR_SCALE_UP_DELAY_SECONDS') && delay > 0 && isFifoQueue(values.scaleUpQueueUrl))
    problems.push(
      `HANGAR_SCALE_UP_DELAY_SECONDS is ${delay} but HANGAR_SCALE_UP_QUEUE_URL is a FIFO queue, which cannot ` +
        'delay single messages: set HANGAR_SCALE_UP_DELAY_SECONDS to 0 (Terraform: scale_up_delay_seconds = 0) ' +
        'or use a standard queue (Terraform: queues_fifo = false)',
    );
  problems.push(...githubAppProblems(values, handler));
  return problems;
}

/**
 * The Apps come from the module's JSON parameter or from the operator's own parameters:
 * exactly one of the two variables for a function that calls GitHub, at most one otherwise.
 */
function githubAppProblems(values: ConflictInputs, handler: HandlerName): string[] {
  if (!variablesFor(handler).includes('HANGAR_GITHUB_APP_PARAMETERS')) return [];
  const json = values.githubAppsParameter !== undefined;
  const own = values.githubAppParameters !== undefined;
  if (json && own)
    return [
      'HANGAR_GITHUB_APPS_PARAMETER and HANGAR_GITHUB_APP_PARAMETERS are both set: set one ' +
        '(Terraform sets one of them from github_apps or github_app_parameters)',
    ];
  if (!json && !own && GITHUB_APP_USERS.includes(handler))
    return [
      'HANGAR_GITHUB_APPS_PARAMETER or HANGAR_GITHUB_APP_PARAMETERS is required: the GitHub App ' +
        'this function calls GitHub as (an SSM parameter name, or the JSON list of App id and key parameters)',
    ];
  return [];
}
