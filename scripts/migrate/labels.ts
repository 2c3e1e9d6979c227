// Labels and matching. The reference registers a runner with `self-hosted`, its OS and
// architecture, runner_extra_labels and (multi-runner) every label of matcherConfig.labelMatchers,
// lower-cased; the webhook matches a job against each labelMatchers list. Hangar has one label
// set per pool that is both: the runner's labels and what jobs are matched against.
import { childPath, tfBool } from '../policy-check/terraform-types';
import { read, type Messages } from './messages';
import type { RunnerInput } from './input';
import { MATCHER_CONFIG, strings } from './reference-types';

export interface Routing {
  readonly labels: readonly string[];
  readonly matchingMode: 'exact' | 'subset' | 'loose';
  readonly priority: number | undefined;
}

function extraLabels(runner: RunnerInput, all: Messages): string[] {
  const raw = runner.config.runner_extra_labels;
  // Before v5 the reference took a comma-separated string.
  if (typeof raw === 'string') return raw.split(',').map((label) => label.trim());
  return read<string[]>(all, runner.config, 'runner_extra_labels', strings, runner.configPath) ?? [];
}

function matchingMode(runner: RunnerInput, all: Messages, multi: boolean): Routing['matchingMode'] {
  const bool = (key: string) => read<boolean>(all, runner.matcher, key, tfBool, runner.matcherPath);
  if (multi) {
    if (bool('bidirectionalLabelMatch')) return 'exact';
    return bool('exactMatch') ? 'subset' : 'loose';
  }
  if (bool('enable_runner_bidirectional_label_match')) return 'exact';
  if (bool('disable_check_wokflow_job_labels')) {
    all.warn(
      childPath(runner.matcherPath, 'disable_check_wokflow_job_labels'),
      'partly carried over: Hangar always routes jobs by labels; matching_mode = "loose" (any label but self-hosted) is the closest',
    );
    return 'loose';
  }
  return bool('enable_runner_workflow_job_labels_check_all') === false ? 'loose' : 'subset';
}

/** The pool's labels and matching; `os`/`architecture` are the runner's (default labels). */
export function routing(
  runner: RunnerInput,
  platform: { os: string; architecture: string },
  addLabels: readonly string[],
  all: Messages,
  multi: boolean,
): Routing {
  const matchers = multi
    ? (read<string[][]>(
        all,
        runner.matcher,
        'labelMatchers',
        MATCHER_CONFIG.labelMatchers!,
        runner.matcherPath,
      ) ?? [])
    : [];
  if (multi && matchers.length > 1) {
    all.warn(
      childPath(runner.matcherPath, 'labelMatchers'),
      `partly carried over: Hangar matches each pool against one label set, the union of the ${matchers.length} lists; split the configuration into one pool per list if jobs must match a list exactly`,
    );
  }
  const disableDefaults =
    read<boolean>(all, runner.config, 'runner_disable_default_labels', tfBool, runner.configPath) ?? false;
  const defaults = disableDefaults ? ['self-hosted'] : ['self-hosted', platform.os, platform.architecture];
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const label of [...defaults, ...extraLabels(runner, all), ...matchers.flat(), ...addLabels]) {
    const normalized = label.trim().toLowerCase();
    if (normalized === '' || seen.has(normalized)) continue;
    seen.add(normalized);
    labels.push(normalized);
  }
  const priority = multi
    ? read<number>(all, runner.matcher, 'priority', MATCHER_CONFIG.priority!, runner.matcherPath)
    : undefined;
  return { labels, matchingMode: matchingMode(runner, all, multi), priority };
}
