import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { build, type Plugin } from 'esbuild';

// scripts/sdk-schema-keys.mjs rewrites the AWS SDK's generated schema modules at build time so
// esbuild can tree-shake them. These specs prove the rewrite changes no schema and that the
// build uses it (the EC2 client shrinks from the whole API's shapes to those of our commands).
const packageRoot = join(import.meta.dirname, '..');
const scripts = join(packageRoot, 'scripts');
const CLIENTS = ['ec2', 'ssm', 'dynamodb', 'sqs', 's3', 'ecs'];
const schemaModule = (client: string) =>
  realpathSync(
    join(packageRoot, 'node_modules', '@aws-sdk', `client-${client}`, 'dist-es', 'schemas', 'schemas_0.js'),
  );

interface SchemaKeys {
  readonly SCHEMA_MODULE: RegExp;
  readonly literalTraitKeys: (source: string) => string;
  readonly sdkSchemaKeys: Plugin;
}
interface BuildScript {
  readonly esbuildOptions: (entry: string, outdir: string) => Parameters<typeof build>[0];
}
const load = async <T>(file: string) => (await import(pathToFileURL(join(scripts, file)).href)) as T;

const work = mkdtempSync(join(tmpdir(), 'hangar-sdk-schemas-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Compares two module namespaces deeply; schema thunks (`() => Shape$`) are called, cycles followed once. */
const COMPARE = `
const [a, b] = await Promise.all(process.argv.slice(1).map((file) => import(file)));
const seen = new Set();
let compared = 0;
function same(x, y, path) {
  if (typeof x === 'function' && typeof y === 'function' && x.prototype === undefined && x.length === 0)
    return same(x(), y(), path + '()');
  if (typeof x === 'function' || typeof y === 'function') return typeof x === typeof y && x.name === y.name ? null : path;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return Object.is(x, y) ? null : path;
  if (seen.has(x)) return null;
  seen.add(x);
  compared += 1;
  const keys = Object.keys(x);
  if (Array.isArray(x) !== Array.isArray(y) || keys.join() !== Object.keys(y).join()) return path + ' (keys)';
  for (const key of keys) { const difference = same(x[key], y[key], path + '.' + key); if (difference) return difference; }
  return null;
}
const difference = same(a, b, 'module');
console.log(JSON.stringify({ difference, compared }));
`;

describe('AWS SDK schema keys', () => {
  it('rewrites every client schema module into one with the same exported schemas', async () => {
    const { SCHEMA_MODULE, literalTraitKeys, sdkSchemaKeys } = await load<SchemaKeys>('sdk-schema-keys.mjs');
    const bundle = async (client: string, plugins: Plugin[], name: string) => {
      const file = join(work, `${client}-${name}.mjs`);
      await build({
        stdin: {
          contents: `export * from ${JSON.stringify(schemaModule(client))};`,
          resolveDir: packageRoot,
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: file,
        plugins,
        logLevel: 'error',
      });
      return file;
    };
    const results: Record<string, unknown> = {};
    for (const client of CLIENTS) {
      const source = readFileSync(schemaModule(client), 'utf8');
      expect(SCHEMA_MODULE.test(schemaModule(client))).toBe(true);
      expect(literalTraitKeys(source)).not.toBe(source);
      const files = [
        await bundle(client, [], 'as-published'),
        await bundle(client, [sdkSchemaKeys], 'rewritten'),
      ];
      const run = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', COMPARE, ...files.map((f) => pathToFileURL(f).href)],
        {
          encoding: 'utf8',
        },
      );
      expect(run.stderr).toBe('');
      results[client] = JSON.parse(run.stdout) as unknown;
    }
    for (const client of CLIENTS)
      expect(results[client]).toEqual({ difference: null, compared: expect.any(Number) as unknown });
  });

  it('leaves in a built bundle only the EC2 shapes its commands reach', async () => {
    const { esbuildOptions } = await load<BuildScript>('build.mjs');
    const entry = join(work, 'ec2-entry.mjs');
    writeFileSync(
      entry,
      "export { EC2Client, CreateFleetCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';\n",
    );
    const result = await build({
      ...esbuildOptions(entry, join(work, 'ec2-out')),
      absWorkingDir: packageRoot,
      nodePaths: [join(packageRoot, 'node_modules')],
    });
    const bytes = Object.values(result.metafile?.outputs ?? {})
      .flatMap((output) => Object.entries(output.inputs))
      .filter(([path]) => path.includes('client-ec2/dist-es/schemas/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    // As published, every EC2 shape stays: ~540 KiB. Two commands' shapes are a few dozen KiB.
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(100 * 1024);
  });
});
