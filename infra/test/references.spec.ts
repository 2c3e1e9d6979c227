import { describe, expect, it } from '@jest/globals';
import { INFRA, exampleDirs, loadModule, moduleDirs, type Module } from './support/hcl';
import { danglingReferences, missingFiles, moduleCallProblems } from './support/references';

const dirs = [...moduleDirs(), ...exampleDirs()].map((dir) => [dir.slice(INFRA.length + 1), dir]);

describe('references', () => {
  it.each(dirs)(
    '%s references only variables, locals, modules, resources and data it declares',
    async (_n, dir) => {
      expect(danglingReferences(await loadModule(dir))).toEqual([]);
    },
  );

  it.each(dirs)('%s calls modules that exist, with known inputs and every required one', async (_n, dir) => {
    expect(await moduleCallProblems(await loadModule(dir), loadModule)).toEqual([]);
  });

  it.each(dirs)('%s reads only files that exist', async (_n, dir) => {
    expect(missingFiles(await loadModule(dir))).toEqual([]);
  });

  it('reports a reference to an undeclared local, variable, resource and data source', () => {
    const mod: Module = {
      dir: '',
      files: [],
      variable: { known: [{ type: '${string}' }] },
      output: { o: [{ value: '${var.known}-${var.unknown}-${local.nope}' }] },
      module: {},
      locals: { here: '${aws_s3_bucket.missing.id}' },
      resource: {},
      data: {
        aws_iam_policy_document: {
          p: [{ source_policy_documents: ['${data.aws_iam_policy_document.q.json}'] }],
        },
      },
    };
    expect(danglingReferences(mod).map((d) => d.split(' ')[0])).toEqual([
      'aws_s3_bucket.missing',
      'data.aws_iam_policy_document.q',
      'local.nope',
      'var.unknown',
    ]);
  });
});
