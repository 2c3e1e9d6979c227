import { JobId, type IsoTime, type WorkflowJobFact } from '@hangar/core';

/** The `workflow_job` actions Hangar acts on; GitHub may add others, which are ignored. */
export const WORKFLOW_JOB_ACTIONS = ['queued', 'waiting', 'in_progress', 'completed'] as const;
type Action = (typeof WORKFLOW_JOB_ACTIONS)[number];

/** A field that failed validation, with its JSON path. */
export interface InvalidField {
  readonly path: string;
  readonly problem: string;
}

type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: InvalidField };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const bad = (path: string, problem: string): Result<never> => ({ ok: false, error: { path, problem } });

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(parent: Json, key: string, path: string): Result<Json> {
  const v = parent[key];
  return isObject(v) ? ok(v) : bad(`${path}${key}`, 'must be an object');
}

function positiveInteger(parent: Json, key: string, path: string): Result<number> {
  const v = parent[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0
    ? ok(v)
    : bad(`${path}${key}`, 'must be a positive integer');
}

function text(parent: Json, key: string, path: string): Result<string> {
  const v = parent[key];
  return typeof v === 'string' && v.length > 0 ? ok(v) : bad(`${path}${key}`, 'must be a non-empty string');
}

function nullableText(parent: Json, key: string, path: string): Result<string | null> {
  const v = parent[key];
  if (v === undefined || v === null || v === '') return ok(null);
  return typeof v === 'string' ? ok(v) : bad(`${path}${key}`, 'must be a string or null');
}

function nullableId(parent: Json, key: string, path: string): Result<number | null> {
  const v = parent[key];
  if (v === undefined || v === null) return ok(null);
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
    ? ok(v)
    : bad(`${path}${key}`, 'must be an integer or null');
}

function time(parent: Json, key: string, path: string): Result<IsoTime> {
  const v = parent[key];
  return typeof v === 'string' && !Number.isNaN(Date.parse(v))
    ? ok(new Date(Date.parse(v)).toISOString())
    : bad(`${path}${key}`, 'must be an ISO-8601 time');
}

function labels(parent: Json, key: string, path: string): Result<string[]> {
  const v = parent[key];
  if (!Array.isArray(v)) return bad(`${path}${key}`, 'must be an array of strings');
  const index = v.findIndex((l) => typeof l !== 'string');
  return index === -1 ? ok(v as string[]) : bad(`${path}${key}[${index}]`, 'must be a string');
}

/** When GitHub says each action happened. */
const TIME_FIELD: Record<Action, string> = {
  queued: 'created_at',
  waiting: 'created_at',
  in_progress: 'started_at',
  completed: 'completed_at',
};

export const isWorkflowJobAction = (action: string): action is Action =>
  (WORKFLOW_JOB_ACTIONS as readonly string[]).includes(action);

/**
 * Validates a parsed `workflow_job` body for a known action and maps it to a fact. Returns the
 * first invalid field (with its path) instead of throwing.
 */
export function toWorkflowJobFact(body: Json, action: Action, deliveryId: string): Result<WorkflowJobFact> {
  const job = object(body, 'workflow_job', '');
  if (!job.ok) return job;
  const j = job.value;
  const p = 'workflow_job.';
  const id = positiveInteger(j, 'id', p);
  if (!id.ok) return id;
  const runId = positiveInteger(j, 'run_id', p);
  if (!runId.ok) return runId;
  const runAttempt = j.run_attempt === undefined ? ok(1) : positiveInteger(j, 'run_attempt', p);
  if (!runAttempt.ok) return runAttempt;
  const workflowName = nullableText(j, 'workflow_name', p);
  if (!workflowName.ok) return workflowName;
  const jobLabels = labels(j, 'labels', p);
  if (!jobLabels.ok) return jobLabels;
  const at = time(j, TIME_FIELD[action], p);
  if (!at.ok) return at;
  const runnerName = nullableText(j, 'runner_name', p);
  if (!runnerName.ok) return runnerName;
  const runnerId = nullableId(j, 'runner_id', p);
  if (!runnerId.ok) return runnerId;
  const conclusion = action === 'completed' ? nullableText(j, 'conclusion', p) : ok(null);
  if (!conclusion.ok) return conclusion;
  const repository = object(body, 'repository', '');
  if (!repository.ok) return repository;
  const repo = text(repository.value, 'name', 'repository.');
  if (!repo.ok) return repo;
  const owner = object(repository.value, 'owner', 'repository.');
  if (!owner.ok) return owner;
  const login = text(owner.value, 'login', 'repository.owner.');
  if (!login.ok) return login;
  const installation = isObject(body.installation)
    ? nullableId(body.installation, 'id', 'installation.')
    : ok(null);
  if (!installation.ok) return installation;
  return ok({
    deliveryId,
    action,
    jobId: JobId(id.value),
    runId: runId.value,
    runAttempt: runAttempt.value,
    workflowName: workflowName.value,
    owner: login.value,
    repo: repo.value,
    labels: jobLabels.value,
    at: at.value,
    runnerName: runnerName.value,
    // GitHub sends runner_id 0 / null while no runner is assigned.
    githubRunnerId: runnerId.value === 0 ? null : runnerId.value,
    conclusion: conclusion.value,
    installationId: installation.value,
  });
}
