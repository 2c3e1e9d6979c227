// The reference's label matching (multi_runner_config.<key>.matcherConfig and the root module's
// label-check inputs) and build-queue options (fifo, redrive). See reference-keys.ts.
import { k, type ReferenceKey } from './key-types';

/** `multi_runner_config.<key>.matcherConfig.*`, the root module's label-check inputs, and the entry's own keys. */
export const MATCHER_KEYS: readonly ReferenceKey[] = [
  k(
    'labelMatchers',
    'mapped',
    '`labels`',
    'Hangar matches a job against one label set per pool: the union of these lists and the runner labels (warning when there was more than one list).',
  ),
  k(
    'exactMatch',
    'mapped',
    '`matching_mode`',
    '`true` → `subset` (every job label is a runner label), `false` (the reference default) → `loose` (any label other than `self-hosted` matches).',
    false,
  ),
  k('bidirectionalLabelMatch', 'mapped', '`matching_mode = "exact"`', '', false),
  k(
    'priority',
    'mapped',
    '`priority`',
    'Lower wins, default 999 on both sides. Hangar breaks ties by pool id order.',
    999,
  ),
  k(
    'enableDynamicLabels',
    'none',
    '',
    'Per-job instance settings in labels are not supported. Not planned.',
    false,
  ),
  k('awsDynamicLabelsPolicy', 'none', '', 'See `enableDynamicLabels`.', null),
  k(
    'enable_runner_workflow_job_labels_check_all',
    'mapped',
    '`matching_mode`',
    'Root module: `true` (default) → `subset`, `false` → `loose`.',
    true,
  ),
  k('enable_runner_bidirectional_label_match', 'mapped', '`matching_mode = "exact"`', 'Root module.', false),
  k(
    'disable_check_wokflow_job_labels',
    'partly',
    '`matching_mode = "loose"`',
    'Old root input (sic). Hangar always routes by labels; `loose` is the closest.',
    false,
  ),
  k(
    'fifo',
    'built-in',
    '',
    'Not needed: every job gets its own runner request and the reconciler catches lost ones, so event order does not matter. (`queues_fifo` exists if you want FIFO queues anyway.)',
    false,
  ),
  k('enable_fifo_build_queue', 'built-in', '', 'See `fifo`.', false),
  k(
    'redrive_build_queue',
    'mapped',
    '`queue_max_receive_count` (module input)',
    'Hangar always has dead-letter queues (default 5 receives); `maxReceiveCount` is carried when `enabled`.',
  ),
  k(
    'redrive_policy_build_queue',
    'mapped',
    '`queue_max_receive_count` (module input)',
    'Old name of `redrive_build_queue`.',
  ),
];
