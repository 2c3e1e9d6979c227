import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The AWS SDK is bundled into every Lambda zip (scripts/build.mjs), so the versions pinned here
// are the ones that run in production, on the Lambda runtime's Node, and in these tests, on
// Node 20. @aws-sdk/* releases from early January 2027 on require Node 22 (TOOLING.md), so an
// upgrade past that would build fine and break every test machine: the pins are exact and
// every SDK package installed must still declare support for the Node the tests run on.
const packageRoot = join(import.meta.dirname, '..');
const repoRoot = join(packageRoot, '..', '..');
const runtimes = JSON.parse(readFileSync(join(packageRoot, 'lambda-runtime.json'), 'utf8')) as {
  testedOn: number;
  supported: Record<string, { node: number }>;
};

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const isSdk = (name: string) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/');

/** Where Node would find `name` from `from` (walking up node_modules directories). */
function locate(name: string, from: string): string | undefined {
  for (let dir = realpathSync(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every @aws-sdk/* and @smithy/* package the bundle can pull in from these packages' dependencies. */
function sdkClosure(dirs: readonly string[]): Manifest[] {
  const seen = new Map<string, Manifest>();
  const visit = (from: string) => {
    for (const name of Object.keys(read(from).dependencies ?? {}).filter(isSdk)) {
      const at = locate(name, from);
      if (at === undefined) throw new Error(`${name} is not installed (needed by ${from})`);
      const manifest = read(at);
      const key = `${manifest.name}@${manifest.version}`;
      if (seen.has(key)) continue;
      seen.set(key, manifest);
      visit(at);
    }
  };
  for (const dir of dirs) visit(dir);
  return [...seen.values()];
}

/** The lowest Node major an `engines.node` range of the form `>=N[.x.y]` admits. */
const minimumNode = (range: string | undefined) => Number(/^>=\s*(\d+)/.exec(range ?? '')?.[1] ?? NaN);

describe('AWS SDK pins', () => {
  const sdkDependencies = (dir: string) =>
    Object.entries(read(dir).dependencies ?? {}).filter(([name]) => name.startsWith('@aws-sdk/'));

  it('pins every @aws-sdk client to an exact version, the same in runtime-lambda and adapter-aws', () => {
    const ours = sdkDependencies(packageRoot);
    const adapter = Object.fromEntries(sdkDependencies(join(repoRoot, 'packages', 'adapter-aws')));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter(([, version]) => !/^\d+\.\d+\.\d+$/.test(version))).toEqual([]);
    expect(
      ours.filter(([name, version]) => adapter[name] !== undefined && adapter[name] !== version),
    ).toEqual([]);
  });

  it('bundles only SDK packages that support both the Node the tests run on and the Lambda runtimes', () => {
    const closure = sdkClosure([packageRoot, join(repoRoot, 'packages', 'adapter-aws')]);
    expect(closure.length).toBeGreaterThan(20);
    const oldest = Math.min(runtimes.testedOn, ...Object.values(runtimes.supported).map((r) => r.node));
    const tooNew = closure
      .filter((m) => !(minimumNode(m.engines?.node) <= oldest))
      .map((m) => `${m.name}@${m.version} needs node ${m.engines?.node ?? '(undeclared)'}`);
    expect(tooNew).toEqual([]);
  });
});
