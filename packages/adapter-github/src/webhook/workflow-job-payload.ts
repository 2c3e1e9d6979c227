import { JobId, type IsoTime, type WorkflowJobFact } from '@hangar/core';

/** The `workflow_job` actions Hangar acts on; GitHub may add others, which are ignored. */
export const WORKFLOW_JOB_ACTIONS = ['queued', 'waiting', 'in_progress', 'completed'] as const;
type Action = (typeof WORKFLOW_JOB_ACTIONS)[number];

/** A field that failed validation, with its JSON path. */
export interface InvalidField {
  readonly path: string;
  readonly problem: string;
  /** Well formed, but beyond what Hangar stores for a job (answered 422, not 400). */
  readonly tooLarge?: true;
}

/**
 * What Hangar stores of a job, at most. Far above anything GitHub sends (logins ≤ 39
 * characters, repository names ≤ 100, runner names and labels a few dozen), and low enough that
 * the largest record (JobQueued with every label, and its head) stays well under DynamoDB's
 * 400 KB item limit. Routing inputs and lookup keys (labels, owner, repository, runner name)
 * are never truncated — a shortened label would route to the wrong pool and a shortened
 * runner name could name another runner — so a delivery beyond them is refused; the workflow
 * name is display only and is truncated with its full length noted.
 */
export const STORED_BOUNDS = {
  labels: 64,
  labelLength: 256,
  nameLength: 256,
  conclusionLength: 64,
  workflowNameLength: 1024,
} as const;

type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: InvalidField };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const bad = (path: string, problem: string): Result<never> => ({ ok: false, error: { path, problem } });
const tooLarge = (path: string, problem: string): Result<never> => ({
  ok: false,
  error: { path, problem: `${problem}, more than Hangar stores for a job`, tooLarge: true },
});

/** A value within `max` characters, or the 422 for it. */
function bounded<T extends string | null>(result: Result<T>, path: string, max: number): Result<T> {
  if (!result.ok || result.value === null || result.value.length <= max) return result;
  return tooLarge(path, `longer than ${max} characters`);
}

/** Display text cut to `max` characters, saying how long it was. */
function truncated(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  return `${value.slice(0, max)}… (truncated from ${value.length} characters)`;
}

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
  if (index !== -1) return bad(`${path}${key}[${index}]`, 'must be a string');
  if (v.length > STORED_BOUNDS.labels)
    return tooLarge(`${path}${key}`, `more than ${STORED_BOUNDS.labels} labels`);
  const long = (v as string[]).findIndex((l) => l.length > STORED_BOUNDS.labelLength);
  return long === -1
    ? ok(v as string[])
    : tooLarge(`${path}${key}[${long}]`, `longer than ${STORED_BOUNDS.labelLength} characters`);
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
  const runnerName = bounded(nullableText(j, 'runner_name', p), `${p}runner_name`, STORED_BOUNDS.nameLength);
  if (!runnerName.ok) return runnerName;
  const runnerId = nullableId(j, 'runner_id', p);
  if (!runnerId.ok) return runnerId;
  const conclusion =
    action === 'completed'
      ? bounded(nullableText(j, 'conclusion', p), `${p}conclusion`, STORED_BOUNDS.conclusionLength)
      : ok(null);
  if (!conclusion.ok) return conclusion;
  const repository = object(body, 'repository', '');
  if (!repository.ok) return repository;
  const repo = bounded(
    text(repository.value, 'name', 'repository.'),
    'repository.name',
    STORED_BOUNDS.nameLength,
  );
  if (!repo.ok) return repo;
  const owner = object(repository.value, 'owner', 'repository.');
  if (!owner.ok) return owner;
  const login = bounded(
    text(owner.value, 'login', 'repository.owner.'),
    'repository.owner.login',
    STORED_BOUNDS.nameLength,
  );
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
    workflowName: truncated(workflowName.value, STORED_BOUNDS.workflowNameLength),
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
