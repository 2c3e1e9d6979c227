import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { poolsSchema } from '@hangar/runtime-lambda/config/pools-schema';
import { INFRA, exampleDirs, isObject, loadModule, type Json } from './support/hcl';
import { evaluate } from './support/terraform';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const defaultInstanceTypes = multi.locals.default_instance_types as Record<string, string[]>;
const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');

/** What multi-runner hands pools-document per configuration, with stand-in resource names. */
function stubCompute(configs: Record<string, Record<string, Json>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(configs).map(([id, c]) => [
      id,
      c.compute === 'fargate'
        ? {
            subnet_ids: ['subnet-1'],
            cluster: 'hangar-runners',
            task_definition: `arn:task/${id}:1`,
            container_name: 'runner',
            security_group_ids: ['sg-1'],
          }
        : {
            subnet_ids: ['subnet-1', 'subnet-2'],
            launch_template_name: `hangar-${id}`,
            instance_types: c.instance_types ?? defaultInstanceTypes[String(c.architecture ?? 'x64')],
          },
    ]),
  );
}

function render(configs: unknown, compute: unknown) {
  return evaluate(
    `module "doc" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = jsondecode(${JSON.stringify(JSON.stringify(configs))})
  compute        = jsondecode(${JSON.stringify(JSON.stringify(compute))})
}
output "json" { value = module.doc.json }
`,
    'json',
  );
}

const examples = exampleDirs().map((dir) => [basename(dir), dir]);

describe('pools JSON rendered from the examples', () => {
  it.each(examples)('renders the %s example into pools JSON that poolsSchema accepts', (_name, dir) => {
    const configs = JSON.parse(readFileSync(join(dir, 'pools.json'), 'utf8')) as Record<
      string,
      Record<string, Json>
    >;
    const rendered = render(configs, stubCompute(configs));
    if (!rendered.ok) throw new Error(rendered.error);
    const parsed = poolsSchema.safeParse(JSON.parse(String(rendered.value)));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data?.map((pool) => pool.id).sort()).toEqual(Object.keys(configs).sort());
  });

  it('carries every field the configuration sets into the pool document', () => {
    const configs = JSON.parse(
      readFileSync(join(INFRA, 'examples', 'multi-runner', 'pools.json'), 'utf8'),
    ) as Record<string, Record<string, Json>>;
    const rendered = render(configs, stubCompute(configs));
    if (!rendered.ok) throw new Error(rendered.error);
    const pools = poolsSchema.parse(JSON.parse(String(rendered.value)));
    const large = pools.find((pool) => pool.id === 'linux-large');
    expect(large).toMatchObject({
      runnerGroup: 'large-runners',
      ephemeral: false,
      minimumRunningTimeMinutes: 15,
      bootTimeMinutes: 8,
      capacity: { type: 'on-demand', onDemandFailoverFor: [] },
      poolSchedules: [
        { cron: '0 0 8 * * 1-5', timeZone: 'Europe/Amsterdam', size: 3 },
        { cron: '0 0 19 * * 1-5', timeZone: 'Europe/Amsterdam', size: 0 },
      ],
      compute: {
        kind: 'ec2',
        launchTemplateName: 'hangar-linux-large',
        instanceTypes: ['c7i.4xlarge', 'c6i.4xlarge'],
        onDemandAllocationStrategy: 'prioritized',
        extraTags: { 'cost-center': 'ci-large' },
      },
    });
    expect(pools.find((pool) => pool.id === 'linux-arm64')?.idleWindows).toEqual([
      {
        cron: '0 * 8-18 * * 1-5',
        timeZone: 'Europe/Amsterdam',
        idleCount: 2,
        evictionStrategy: 'oldest-first',
      },
    ]);
  });

  it.each([
    [
      'an EventBridge rate instead of a cron',
      { idle_windows: [{ cron: 'rate(5 minutes)', idle_count: 1 }] },
      'runner_configs["bad"].idle_windows[0].cron = "rate(5 minutes)": rate(...) is a schedule rate',
    ],
    [
      'a negative idle count',
      { idle_windows: [{ cron: '0 8-18 * * 1-5', idle_count: -1 }] },
      'idle_windows need idle_count >= 0',
    ],
    ['max_runners below -1', { max_runners: -2 }, 'max_runners must be a whole number >= -1'],
    ['an unknown matching mode', { matching_mode: 'fuzzy' }, 'matching_mode must be exact, subset or loose'],
    ['Windows on arm64', { os: 'windows', architecture: 'arm64' }, 'Windows runners are x64 only'],
    ['fargate without an image', { compute: 'fargate' }, 'needs a fargate block'],
    [
      'a reusable fargate runner',
      { compute: 'fargate', ephemeral: false, fargate: { image: 'x' } },
      'ephemeral = true',
    ],
  ])('rejects a configuration with %s at plan time', (_what, override, message) => {
    const configs = { bad: { labels: ['self-hosted'], owner: 'acme', ...override } };
    const rendered = render(configs, { bad: { subnet_ids: ['subnet-1'] } });
    expect(rendered.ok).toBe(false);
    expect(rendered.ok ? '' : rendered.error.replace(/\s+/g, ' ')).toContain(message);
  });

  it('finds the default instance types for both architectures', () => {
    expect(
      isObject(multi.locals.default_instance_types as Json) && Object.keys(defaultInstanceTypes).sort(),
    ).toEqual(['arm64', 'x64']);
  });
});
