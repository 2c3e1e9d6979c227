import { describe, expect, it, afterEach } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { checkBoundaries } from '../check-boundaries.mjs';

const roots: string[] = [];

/** A miniature repository laid out like Hangar's, with the given files. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hangar-boundaries-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const check = (root: string): string[] => checkBoundaries(root) as string[];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('dependency boundary check', () => {
  it('passes a repository whose core is pure and whose adapters only import core', () => {
    const root = repo({
      'packages/core/src/index.ts': 'export const x = 1;\n',
      'packages/adapter-aws/src/index.ts': "import { x } from '@hangar/core';\nexport const y = x;\n",
    });
    expect(check(root)).toEqual([]);
  });

  it('fails when core imports an AWS SDK, Octokit, inversify or a Node built-in', () => {
    const root = repo({
      'packages/core/src/index.ts': [
        "import '@aws-sdk/client-ec2';",
        "import '@octokit/rest';",
        "import 'inversify';",
        "import 'node:fs';",
      ].join('\n'),
    });
    const violations = check(root).join('\n');
    expect(violations).toMatch(/core imports AWS SDK '@aws-sdk\/client-ec2'/);
    expect(violations).toMatch(/core imports Octokit '@octokit\/rest'/);
    expect(violations).toMatch(/inversify/);
    expect(violations).toMatch(/node:fs/);
  });

  it('fails when core reads the environment, the clock or randomness outside its testing entry', () => {
    const root = repo({
      'packages/core/src/policy.ts':
        'export const f = () => [process.env.X, Date.now(), new Date(), Math.random()];\n',
      'packages/core/src/testing/clock.ts': 'export const now = () => Date.now();\n',
    });
    const violations = check(root);
    expect(violations.filter((v) => v.includes('packages/core/src/policy.ts'))).toHaveLength(4);
    expect(violations.some((v) => v.includes('testing/clock.ts'))).toBe(false);
  });

  it('fails when an adapter imports another adapter or the runtime', () => {
    const root = repo({
      'packages/core/src/index.ts': 'export {};\n',
      'packages/adapter-github/src/index.ts': 'export const g = 1;\n',
      'packages/runtime-lambda/src/index.ts': 'export const r = 1;\n',
      'packages/adapter-aws/src/index.ts':
        "import { g } from '@hangar/adapter-github';\nimport { r } from '@hangar/runtime-lambda';\nexport const z = [g, r];\n",
    });
    const violations = check(root).join('\n');
    expect(violations).toMatch(/adapter-github/);
    expect(violations).toMatch(/runtime-lambda/);
  });

  it('fails on an import cycle', () => {
    const root = repo({
      'packages/core/src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'packages/core/src/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(check(root).join('\n')).toMatch(/cycle/i);
  });
});
