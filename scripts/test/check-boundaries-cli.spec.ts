import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { checkBoundaries } from '../check-boundaries.mjs';

const roots: string[] = [];

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hangar-boundaries-cli-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('dependency boundary check: the CLI is an outer layer', () => {
  it('lets the CLI import core and the AWS adapter', () => {
    const root = repo({
      'packages/core/src/index.ts': 'export const x = 1;\n',
      'packages/adapter-aws/src/index.ts': "import { x } from '@hangar/core';\nexport const y = x;\n",
      'packages/cli/src/main.ts':
        "import { x } from '@hangar/core';\nimport { y } from '@hangar/adapter-aws';\nexport const z = x + y;\n",
    });
    expect(checkBoundaries(root)).toEqual([]);
  });

  it('fails when core, an adapter or the runtime imports the CLI, or the CLI imports the GitHub adapter or the runtime', () => {
    const root = repo({
      'packages/core/src/index.ts': "import '@hangar/cli';\n",
      'packages/adapter-aws/src/index.ts': "import '@hangar/cli';\n",
      'packages/runtime-lambda/src/index.ts': "import '@hangar/cli';\n",
      'packages/cli/src/index.ts': "import '@hangar/adapter-github';\nimport '@hangar/runtime-lambda';\n",
    });
    const violations = (checkBoundaries(root) as string[]).join('\n');
    expect(violations).toMatch(/packages\/core\/src\/index.ts:1 core imports '@hangar\/cli'/);
    expect(violations).toMatch(/packages\/adapter-aws\/src\/index.ts:1 adapter-aws imports '@hangar\/cli'/);
    expect(violations).toMatch(
      /packages\/runtime-lambda\/src\/index.ts:1 runtime-lambda imports '@hangar\/cli'/,
    );
    expect(violations).toMatch(/packages\/cli\/src\/index.ts:1 cli imports '@hangar\/adapter-github'/);
    expect(violations).toMatch(/packages\/cli\/src\/index.ts:2 cli imports '@hangar\/runtime-lambda'/);
  });
});
