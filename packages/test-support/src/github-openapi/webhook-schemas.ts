import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

let validators: Map<string, ValidateFunction> | undefined;

function compiled(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8'),
  ) as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
    ajv: Ajv,
  ) => void;
  addFormats(ajv);
  // Only the definitions: compiling the root (a oneOf over every event) would cost seconds.
  ajv.addSchema({ $id: 'webhooks', definitions: schema.definitions });
  validators = new Map();
  for (const action of ['queued', 'waiting', 'in_progress', 'completed']) {
    const validate = ajv.getSchema(`webhooks#/definitions/workflow_job$${action}`);
    if (!validate) throw new Error(`@octokit/webhooks-schemas has no workflow_job$${action}`);
    validators.set(action, validate);
  }
  return validators;
}

/**
 * Problems of a `workflow_job` delivery body against @octokit/webhooks-schemas (the schema
 * of its action); empty when it conforms.
 */
export function workflowJobPayloadProblems(payload: unknown): string[] {
  const action = (payload as { action?: unknown } | null)?.action;
  const validate = typeof action === 'string' ? compiled().get(action) : undefined;
  if (!validate) return [`no workflow_job schema for action ${String(action)}`];
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) =>
    `${action}: ${e.instancePath || '(body)'} ${e.message ?? ''}`.trim(),
  );
}
