import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, REPO, loadModule } from './support/hcl';
import { BEGIN, END, renderInputs, renderOutputs } from './support/reference';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
/** Markdown tables compared cell by cell, so prettier's column padding does not matter. */
function normalize(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
            .join('|')
        : line.trim(),
    )
    .join('\n');
}

const infraDoc = normalize(readFileSync(join(REPO, 'docs', 'infra.md'), 'utf8'));

describe('docs/infra.md', () => {
  it('contains the inputs table exactly as rendered from variables.tf (regenerate it when this fails)', () => {
    const current = infraDoc.slice(infraDoc.indexOf(BEGIN), infraDoc.indexOf(END) + END.length);
    expect(current).toEqual(normalize(renderInputs(multi)));
  });

  it('contains the outputs table as rendered from outputs.tf', () => {
    expect(infraDoc).toContain(normalize(renderOutputs(multi)));
  });

  it('documents the validate command for machines with registry access', () => {
    expect(infraDoc).toContain('terraform init -backend=false && terraform validate');
  });
});
