import type { Block, Json, Module } from './hcl';
import { isObject } from './hcl';

export interface Statement {
  readonly where: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: number;
}

const READ_ONLY = /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query|Scan|Head)/;

/** Every statement of every aws_iam_policy_document, including `dynamic "statement"` ones. */
export function statementsOf(mod: Module): Statement[] {
  const result: Statement[] = [];
  for (const [name, blocks] of Object.entries(mod.data.aws_iam_policy_document ?? {})) {
    for (const block of blocks) {
      const direct = (block.statement ?? []) as Block[];
      const dynamic = isObject(block.dynamic) ? ((block.dynamic.statement ?? []) as Block[]) : [];
      const fromDynamic = dynamic.flatMap((d) => (d.content ?? []) as Block[]);
      for (const statement of [...direct, ...fromDynamic]) result.push(toStatement(`${name}`, statement));
    }
  }
  return result;
}

function list(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function toStatement(where: string, block: Block): Statement {
  return {
    where: `${where}${typeof block.sid === 'string' ? `/${block.sid}` : ''}`,
    effect: typeof block.effect === 'string' ? block.effect : 'Allow',
    actions: list(block.actions),
    resources: list(block.resources),
    conditions: Array.isArray(block.condition) ? block.condition.length : 0,
  };
}

/** The least-privilege rules of docs/infra.md, as problems found. */
export function iamProblems(statements: readonly Statement[]): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    for (const action of s.actions)
      if (action.includes('*')) problems.push(`${s.where}: wildcard action ${action}`);
    if (s.actions.length === 0) problems.push(`${s.where}: no actions (a NotAction or an expression list)`);
    const mutating = s.actions.filter((a) => !READ_ONLY.test(a));
    if (mutating.length > 0 && s.resources.includes('*') && s.conditions === 0)
      problems.push(`${s.where}: ${mutating.join(', ')} on unconditioned "*"`);
  }
  return problems;
}
