import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { isObject, type Block, type Json, type Module } from './hcl';
import { toHcl, unwrap } from './hcl-text';
import { evaluateFiles } from './terraform';

/**
 * What stands in for a provider-bound reference (a resource's attribute, a data source's
 * answer): `[reference as written, HCL expression]`, replaced textually, longest first.
 */
export type StandIns = readonly (readonly [string, string])[];

/** Every expression a policy document's statements evaluate, as written (`${...}` inner text). */
function expressionsOf(mod: Module, name: string, found = new Set<string>()): Set<string> {
  const block = mod.data.aws_iam_policy_document?.[name]?.[0];
  if (block === undefined) throw new Error(`no aws_iam_policy_document.${name}`);
  for (const source of [block.source_policy_documents ?? []].flat()) {
    const match = /^\$\{data\.aws_iam_policy_document\.([a-z0-9_]+)\.json\}$/.exec(String(source));
    if (match?.[1]) expressionsOf(mod, match[1], found);
  }
  const dynamic = isObject(block.dynamic) ? ((block.dynamic.statement ?? []) as Block[]) : [];
  const statements = [
    ...((block.statement ?? []) as Block[]),
    ...dynamic.flatMap((d) => (d.content ?? []) as Block[]),
  ];
  const texts = [
    ...dynamic.map((d) => d.for_each),
    ...statements.flatMap((s) => [
      s.resources,
      ...((s.condition ?? []) as Block[]).flatMap((c) => [c.values, c.variable]),
    ]),
  ].flatMap((value) => [value ?? []].flat().map(String));
  for (const text of texts) {
    if (/^\$\{[\s\S]*\}$/.test(text)) found.add(unwrap(text).trim());
    else
      for (const m of text.replaceAll('$${', '').matchAll(/\$\{([^}]+)\}/g)) found.add((m[1] ?? '').trim());
  }
  return new Set([...found].filter((e) => !/\bstatement\./.test(e)));
}

/** The locals an expression refers to, and theirs, not counting those the preamble defines. */
function localsFor(mod: Module, expressions: readonly string[], defined: ReadonlySet<string>): string[] {
  const needed: string[] = [];
  const queue = [...expressions];
  while (queue.length > 0) {
    for (const m of (queue.pop() ?? '').matchAll(/\blocal\.([a-z0-9_]+)/g)) {
      const name = m[1] ?? '';
      if (defined.has(name) || needed.includes(name)) continue;
      if (!(name in mod.locals)) throw new Error(`local.${name} is neither the module's nor the preamble's`);
      needed.push(name);
      queue.push(toHcl(mod.locals[name] ?? null));
    }
  }
  return needed;
}

/**
 * Evaluates, with terraform, every expression the named policy documents compute, from the
 * module's own locals and variables (variables.tf and github-app.tf copied as they are) and
 * the stand-ins; returns them keyed as written, for renderPolicyDocument's reference values.
 */
export async function documentValues(
  mod: Module,
  documents: readonly string[],
  standIns: StandIns,
  preamble: string,
  tfvars: Readonly<Record<string, unknown>>,
): Promise<Record<string, Json>> {
  const githubApp = readFileSync(join(mod.dir, 'github-app.tf'), 'utf8');
  const copied = (await parse('github-app.tf', githubApp)) as { locals?: Record<string, Json>[] };
  const replace = (text: string) =>
    [...standIns]
      .sort((a, b) => b[0].length - a[0].length)
      .reduce((t, [from, to]) => t.replaceAll(from, to), text);
  const expressions = [...new Set(documents.flatMap((d) => [...expressionsOf(mod, d)]))];
  // Locals the preamble defines (stand-ins, partition/region/account) and github-app.tf's.
  const defined = new Set([
    ...[...preamble.matchAll(/^\s+([a-z0-9_]+)\s*=/gm)].map((m) => m[1] ?? ''),
    ...(copied.locals ?? []).flatMap((block) => Object.keys(block)),
  ]);
  const locals = localsFor(mod, expressions.map(replace), defined).map(
    (name) => `  ${name} = ${replace(toHcl(mod.locals[name] ?? null))}`,
  );
  const outputs = expressions.map((e, i) => `    e${i} = (${replace(e)})`);
  const body = `locals {\n${locals.join('\n')}\n}\noutput "all" {\n  value = {\n${outputs.join('\n')}\n  }\n}\n`;
  // Module calls the preamble makes (a provider-free one such as pools-document) may stay.
  const calls = new Set([...preamble.matchAll(/^module "([a-z0-9_]+)"/gm)].map((m) => m[1]));
  const unresolved = [
    ...body.matchAll(/\b(?:aws_[a-z0-9_]+\.[a-z0-9_]+|data\.[a-z0-9_]+\.[a-z0-9_]+|module\.([a-z0-9_]+))/g),
  ].find((m) => m[1] === undefined || !calls.has(m[1]));
  if (unresolved) throw new Error(`no stand-in for ${unresolved[0]}`);
  const files = {
    'main.tf': `${preamble}\n${body}`,
    'variables.tf': readFileSync(join(mod.dir, 'variables.tf'), 'utf8'),
    'github-app.tf': githubApp,
    'terraform.tfvars.json': JSON.stringify(tfvars),
  };
  const result = evaluateFiles(files, 'all');
  if (!result.ok) throw new Error(result.error);
  const values = result.value as Record<string, Json>;
  return Object.fromEntries(expressions.map((e, i) => [e, values[`e${i}`] ?? null]));
}
