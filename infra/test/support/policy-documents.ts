import type { Block, Json, Module } from './hcl';
import { isObject } from './hcl';

/** An IAM policy document as AWS evaluates it. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * Concrete values for the module's references, keyed by the expression as written
 * (`local.region`, `var.prefix`, `aws_s3_bucket.binaries.arn`, `local.ssm_kms_statements`).
 * A local not listed here is taken from the module's own `locals` and resolved in turn.
 */
export type ReferenceValues = Readonly<Record<string, Json>>;

const ESCAPED = '\u0000';

/**
 * Renders `data "aws_iam_policy_document" "<name>"` as Terraform would: references resolved
 * with `values`, `$${...}` kept as the literal `${...}` IAM sees, dynamic statements expanded
 * over their `for_each` list, and `source_policy_documents` merged in first. Anything this
 * renderer does not understand (an unknown reference, not_actions, principals) throws, so a
 * module change can never silently drop a statement from the evaluation.
 */
export function renderPolicyDocument(mod: Module, name: string, values: ReferenceValues): IamPolicy {
  const blocks = mod.data.aws_iam_policy_document?.[name];
  if (blocks?.length !== 1 || !blocks[0]) throw new Error(`no single aws_iam_policy_document.${name}`);
  const block = blocks[0];
  const resolver = new Resolver(mod, values);
  const statements: IamStatement[] = [];
  for (const source of list(block.source_policy_documents)) {
    const match = /^\$\{data\.aws_iam_policy_document\.([a-z0-9_]+)\.json\}$/.exec(String(source));
    if (!match?.[1]) throw new Error(`${name}: unsupported source_policy_documents entry ${String(source)}`);
    statements.push(...renderPolicyDocument(mod, match[1], values).Statement);
  }
  for (const statement of (block.statement ?? []) as Block[])
    statements.push(toStatement(statement, resolver));
  const dynamic = isObject(block.dynamic) ? ((block.dynamic.statement ?? []) as Block[]) : [];
  for (const each of dynamic) {
    const items = resolver.value(String(each.for_each));
    if (!Array.isArray(items)) throw new Error(`${name}: for_each ${String(each.for_each)} is not a list`);
    for (const item of items) {
      const scoped = resolver.with({ 'statement.value': item });
      for (const content of (each.content ?? []) as Block[]) statements.push(toStatement(content, scoped));
    }
  }
  return { Version: '2012-10-17', Statement: statements };
}

function toStatement(block: Block, resolver: Resolver): IamStatement {
  for (const unsupported of ['not_actions', 'not_resources', 'principals', 'not_principals'])
    if (unsupported in block)
      throw new Error(`statement ${String(block.sid)}: ${unsupported} is not rendered`);
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const condition of (block.condition ?? []) as Block[]) {
    const test = resolver.text(String(condition.test));
    const variable = resolver.text(String(condition.variable));
    const byKey = (conditions[test] ??= {});
    byKey[variable] = [
      ...(byKey[variable] ?? []),
      ...list(condition.values).flatMap((v) => resolver.strings(v)),
    ];
  }
  return {
    ...(typeof block.sid === 'string' ? { Sid: block.sid } : {}),
    Effect: block.effect === 'Deny' ? 'Deny' : 'Allow',
    Action: list(block.actions).map((a) => resolver.text(a)),
    Resource: list(block.resources).flatMap((r) => resolver.strings(r)),
    ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
  };
}

function list(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Splits `a, [b, c], "d,e"` at its top-level commas (or another separator). */
function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `${...}` spanning the whole text: its inner expression, else undefined. */
function wholeExpression(text: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  let depth = 0;
  for (let i = 1; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && (depth -= 1) === 0)
      return i === text.length - 1 ? text.slice(2, -1) : undefined;
  }
  return undefined;
}

const FUNCTIONS: Readonly<Record<string, (args: Json[]) => Json>> = {
  concat: (args) => args.flatMap((a) => (Array.isArray(a) ? a : [a])),
  values: ([map]) => (isObject(map) ? Object.values(map) : []),
  distinct: ([items]) => [...new Set(Array.isArray(items) ? items : [])],
};

/**
 * Resolves `${...}` references against test values and the module's locals. Understands the
 * few forms the policy documents use — references, "templates", [lists], `a ? b : c`,
 * concat/values/distinct — and throws on anything else.
 */
class Resolver {
  constructor(
    private readonly mod: Module,
    private readonly values: ReferenceValues,
  ) {}

  with(extra: ReferenceValues): Resolver {
    return new Resolver(this.mod, { ...this.values, ...extra });
  }

  /** A whole-string reference (`${local.list}`) as its value, which may be a list. */
  value(expression: string): Json {
    const inner = wholeExpression(expression);
    return inner === undefined ? this.text(expression) : this.evaluate(inner);
  }

  /** An argument as the strings it stands for: one, or each element of a list. */
  strings(expression: string): string[] {
    const value = this.value(expression);
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === 'string')) throw new Error(`${expression} is not strings`);
    return items as string[];
  }

  /** A string with every reference replaced; `$${` stays a literal `${` for IAM. */
  text(template: string): string {
    const replaced = template
      .replaceAll('$${', ESCAPED)
      .replace(/\$\{([^}]+)\}/g, (_all, expression: string) => {
        const value = this.evaluate(expression.trim());
        if (typeof value !== 'string') throw new Error(`${expression} is not a string in ${template}`);
        return value;
      });
    return replaced.replaceAll(ESCAPED, '${');
  }

  private evaluate(expression: string): Json {
    const e = expression.trim();
    if (e in this.values) return this.values[e] as Json;
    const [condition, ...branches] = splitTopLevel(e, '?');
    if (branches.length === 1 && condition !== undefined) {
      const [whenTrue, whenFalse] = splitTopLevel(branches[0] ?? '', ':');
      const test = this.evaluate(condition);
      if (typeof test !== 'boolean' || whenTrue === undefined || whenFalse === undefined)
        throw new Error(`cannot evaluate ${e}`);
      return this.evaluate(test ? whenTrue : whenFalse);
    }
    if (/^"[^"]*"$/.test(e)) return this.text(e.slice(1, -1));
    if (e.startsWith('[') && e.endsWith(']'))
      return splitTopLevel(e.slice(1, -1)).map((item) => this.evaluate(item));
    const call = /^([a-z]+)\(([\s\S]*)\)$/.exec(e);
    const fn = call?.[1] === undefined ? undefined : FUNCTIONS[call[1]];
    if (fn !== undefined) return fn(splitTopLevel(call?.[2] ?? '').map((arg) => this.evaluate(arg)));
    const local = /^local\.([a-z0-9_]+)$/.exec(e)?.[1];
    if (local !== undefined && local in this.mod.locals) {
      const raw = this.mod.locals[local];
      if (typeof raw === 'string') return this.value(raw);
      if (Array.isArray(raw)) return raw.map((item) => (typeof item === 'string' ? this.value(item) : item));
    }
    throw new Error(`no test value for \${${e}}: add it to the reference values`);
  }
}
