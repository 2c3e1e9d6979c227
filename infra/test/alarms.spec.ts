import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, loadModule, type Block, type Module } from './support/hcl';
import { publishedMetrics, type PublishedMetrics } from './support/published-metrics';

const METRIC_NAMESPACE = '${local.metric_namespace}';

/**
 * The dimension keys of an alarm on the Hangar namespace: `local.metric_dimensions` is
 * `{ service }`; `merge(local.metric_dimensions, { pool = … })` adds the literal's keys.
 */
function alarmDimensionKeys(dimensions: unknown): string {
  const text = String(dimensions);
  if (!text.includes('local.metric_dimensions')) throw new Error(`unexpected dimensions ${text}`);
  const extra = [...(/\{([^}]*)\}\)/.exec(text)?.[1] ?? '').matchAll(/(\w+)\s*=/g)].map((m) => m[1] ?? '');
  return ['service', ...extra].sort().join(',');
}

type Widget = { readonly properties?: { readonly metrics?: unknown } };

/**
 * The Hangar metrics the dashboard reads, with their dimension keys: inline entries
 * `[namespace, name, key, value, …, { stat }]` and `local.hangar_metric[...]` references, whose
 * `for` expression reads `[namespace, name, "service", service_name, …]`.
 */
function dashboardMetrics(locals: Record<string, unknown>): { name: string; dimensions: string }[] {
  const forExpression = String(locals.hangar_metric);
  expect(forExpression).toContain('name => [local.metric_namespace, name, "service", local.service_name,');
  const found: { name: string; dimensions: string }[] = [];
  for (const widget of locals.dashboard_widgets as Widget[]) {
    for (const entry of (widget.properties?.metrics ?? []) as unknown[]) {
      const reference = /local\.hangar_metric\["(\w+)"\]/.exec(String(entry));
      if (reference?.[1] !== undefined) found.push({ name: reference[1], dimensions: 'service' });
      if (!Array.isArray(entry) || entry[0] !== METRIC_NAMESPACE) continue;
      const pairs = entry.slice(2).filter((item): item is string => typeof item === 'string');
      const keys = pairs.filter((_, index) => index % 2 === 0);
      found.push({ name: String(entry[1]), dimensions: keys.sort().join(',') });
    }
  }
  return found;
}

describe('alarms and dashboard', () => {
  let module: Module;
  let published: PublishedMetrics;
  beforeAll(async () => {
    module = await loadModule(join(INFRA, 'modules', 'multi-runner'));
    published = publishedMetrics();
  });

  it('every alarm on the Hangar namespace watches a metric the runtime publishes, under a dimension set it publishes', () => {
    const alarms = Object.entries(module.resource.aws_cloudwatch_metric_alarm ?? {}).flatMap(
      ([name, blocks]) =>
        (blocks as Block[])
          .filter((block) => block.namespace === METRIC_NAMESPACE)
          .map((block) => ({ name, block })),
    );
    expect(alarms.map((alarm) => alarm.name)).toEqual(
      expect.arrayContaining(['launch_failures', 'github_rate_limit', 'pool_policy_failed']),
    );

    const unwatchable = alarms
      .map(({ name, block }) => ({
        name,
        metric: String(block.metric_name),
        dimensions: alarmDimensionKeys(block.dimensions),
      }))
      .filter(({ metric, dimensions }) => !published.get(metric)?.has(dimensions));
    expect(unwatchable).toEqual([]);
  });

  it('every dashboard metric on the Hangar namespace is one the runtime publishes, under the dimensions the widget reads', () => {
    const metrics = dashboardMetrics(module.locals);
    expect(metrics.map((metric) => metric.name)).toEqual(
      expect.arrayContaining(['RunnersRequested', 'RunnerLaunchFailed', 'GitHubRateLimitRemaining']),
    );

    expect(metrics.filter(({ name, dimensions }) => !published.get(name)?.has(dimensions))).toEqual([]);
  });
});
