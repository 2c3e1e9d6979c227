import type { Json, Module } from './hcl';

export const BEGIN = '<!-- BEGIN GENERATED: multi-runner inputs (infra/test/docs.spec.ts) -->';
export const END = '<!-- END GENERATED -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function shownType(type: Json | undefined): string {
  const text = String(type).replace(/^\$\{(.*)\}$/s, '$1');
  return text.length > 40 ? `${text.slice(0, text.indexOf('(') + 1)}…)` : text;
}

function shownDefault(block: Record<string, Json>): string {
  if (!('default' in block)) return 'required';
  return block.default === null ? '`null`' : `\`${JSON.stringify(block.default)}\``;
}

/** The inputs table of docs/infra.md, rendered from multi-runner's variables.tf. */
export function renderInputs(mod: Module): string {
  const rows = Object.entries(mod.variable)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, blocks]) => {
      const block = blocks[0] ?? {};
      return `| \`${name}\` | \`${cell(shownType(block.type))}\` | ${cell(shownDefault(block))} | ${cell(String(block.description))} |`;
    });
  return [BEGIN, '| Name | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows, END].join(
    '\n',
  );
}

/** The outputs table, rendered from multi-runner's outputs.tf. */
export function renderOutputs(mod: Module): string {
  const rows = Object.entries(mod.output)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, blocks]) => `| \`${name}\` | ${cell(String(blocks[0]?.description))} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}
