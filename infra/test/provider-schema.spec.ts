import { describe, expect, it } from '@jest/globals';
import { INFRA, exampleDirs, loadModule as parseModule, moduleDirs, type Module } from './support/hcl';
import { DEPRECATIONS, deprecatedUses } from './support/deprecations';
import { loadProviderSchema, packageProvider, SCHEMA_PACKAGES } from './support/provider-schema';
import { blockProblems, referenceProblems, type Schemas } from './support/schema-check';
import { bounds, nextMinor, providerConstraints } from './support/versions';

// Every directory with Terraform that declares providers (pools-document has none on purpose).
const dirs = [...moduleDirs(), ...exampleDirs()]
  .filter((dir) => !dir.endsWith('pools-document'))
  .map((dir) => [dir.slice(INFRA.length + 1), dir]);

// Each directory is parsed once for all the checks below (hcl2json takes ~0.2 s a directory).
const parsed = new Map<string, Promise<Module>>();
function loadModule(dir: string): Promise<Module> {
  let mod = parsed.get(dir);
  if (mod === undefined) parsed.set(dir, (mod = parseModule(dir)));
  return mod;
}

const ends = {
  lowest: { aws: SCHEMA_PACKAGES.awsFloor, random: SCHEMA_PACKAGES.randomFloor },
  highest: { aws: SCHEMA_PACKAGES.awsCeiling, random: SCHEMA_PACKAGES.randomCeiling },
} as const;

function schemas(end: keyof typeof ends): Schemas {
  return { aws: loadProviderSchema(ends[end].aws), random: loadProviderSchema(ends[end].random) };
}

describe('the provider schemas the module is checked against', () => {
  it('are read from the assemblies (resource types, arguments, blocks and attributes found)', () => {
    const aws = loadProviderSchema(SCHEMA_PACKAGES.awsFloor);
    expect(Object.keys(aws.resources).length).toBeGreaterThan(1000);
    expect(aws.resources.aws_lambda_function?.arguments).toContain('runtime');
    expect(Object.keys(aws.resources.aws_launch_template?.blocks ?? {})).toContain('block_device_mappings');
    expect(aws.resources.aws_lambda_function?.attributes).toContain('invokeArn');
    expect(loadProviderSchema(SCHEMA_PACKAGES.randomFloor).resources.random_password?.attributes).toContain(
      'result',
    );
  });

  it.each(dirs)(
    '%s allows exactly the provider versions whose schemas are checked (>= lowest, < next minor of highest)',
    async (_name, dir) => {
      const constraints = await providerConstraints(dir);
      const problems: string[] = [];
      for (const provider of ['aws', 'random'] as const) {
        const range = bounds(constraints[provider] ?? '');
        const lowest = packageProvider(ends.lowest[provider]).version;
        const highest = packageProvider(ends.highest[provider]).version;
        const expected = `>= ${lowest}, < ${nextMinor(highest)}`;
        if (range?.floor !== lowest || range.below !== nextMinor(highest))
          problems.push(`${provider}: "${constraints[provider] ?? 'none'}", checked range is "${expected}"`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe.each(Object.keys(ends) as (keyof typeof ends)[])('at the %s provider versions allowed', (end) => {
  it.each(dirs)(
    '%s uses only resource and data types, arguments and blocks the schema has',
    async (_name, dir) => {
      expect(blockProblems(await loadModule(dir), schemas(end))).toEqual([]);
    },
  );

  it.each(dirs)('%s references only attributes the schema exports', async (_name, dir) => {
    expect(referenceProblems(await loadModule(dir), schemas(end))).toEqual([]);
  });
});

describe('deprecations', () => {
  it.each(dirs)('%s uses no deprecated argument or attribute', async (_name, dir) => {
    expect(deprecatedUses(await loadModule(dir))).toEqual([]);
  });

  it('lists only deprecations of types the allowed provider versions still have', () => {
    const aws = loadProviderSchema(SCHEMA_PACKAGES.awsCeiling);
    const missing = DEPRECATIONS.filter((d) =>
      d.type.startsWith('data.') ? !aws.dataSources[d.type.slice(5)] : !aws.resources[d.type],
    ).map((d) => d.type);
    expect(missing).toEqual([]);
  });
});
