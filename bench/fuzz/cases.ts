/**
 * What the fuzzer generates: small descriptors (fast-check values), turned into Lambda events by
 * `materialize`. Large bodies and replays are built there, so a 100,000-input run never holds
 * more than one input in memory and a replay can point at an earlier accepted delivery.
 */
import fc from 'fast-check';

export type Action = 'queued' | 'waiting' | 'in_progress' | 'completed';
export type Shape = 'api-gateway' | 'function-url';

export interface JobSpec {
  readonly jobId: number;
  readonly action: Action;
  /** Labels a pool serves, self-hosted labels no pool serves, or a GitHub-hosted runner. */
  readonly labels: 'routable' | 'unroutable' | 'github-hosted';
  readonly runAttempt: number;
  /** Header names as sent: GitHub's capitalisation, or lower case (what AWS hands over). */
  readonly headerCase: 'github' | 'lower';
  readonly shape: Shape;
}

export type Forgery =
  | 'wrong-secret'
  | 'secret-fragment'
  | 'random-hex'
  | 'sha1-only'
  | 'missing'
  | 'empty'
  | 'no-prefix'
  | 'short-hex'
  | 'other-body';

export type Mutation =
  | { readonly op: 'delete'; readonly path: number }
  | { readonly op: 'set'; readonly path: number; readonly value: unknown }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'flip-byte'; readonly at: number; readonly byte: number }
  | { readonly op: 'odd-label'; readonly label: number }
  | { readonly op: 'deep-nesting'; readonly depth: number }
  | { readonly op: 'odd-number'; readonly path: number; readonly value: number }
  | { readonly op: 'duplicate-key'; readonly action: Action };

export type Encoding =
  | 'base64-flag-true-on-text'
  | 'base64-flag-false-on-base64'
  | 'invalid-utf8'
  | 'bom'
  | 'gzip'
  | 'utf16'
  | 'content-type-text'
  | 'content-type-form';

export type OddShape =
  | 'header-array'
  | 'header-number'
  | 'header-null'
  | 'header-object'
  | 'duplicate-header-case'
  | 'missing-event-header'
  | 'missing-delivery-header'
  | 'null-body'
  | 'body-object'
  | 'body-number'
  | 'headers-string'
  | 'headers-null'
  | 'base64-flag-string'
  | 'event-null'
  | 'event-array'
  | 'event-string';

/** A dependency failure injected into a valid delivery: the only 5xx the run may see. */
export type DependencyFault = 'dynamodb-5xx' | 'dynamodb-throttled' | 'sqs-5xx';

export type FuzzCase =
  | { readonly kind: 'valid'; readonly job: JobSpec; readonly fault: DependencyFault | null }
  | { readonly kind: 'replay'; readonly pick: number; readonly shape: Shape }
  | { readonly kind: 'other-event'; readonly event: string; readonly job: JobSpec }
  | { readonly kind: 'forged'; readonly job: JobSpec; readonly forgery: Forgery }
  | {
      readonly kind: 'mutated';
      readonly job: JobSpec;
      readonly mutation: Mutation;
      readonly resigned: boolean;
    }
  | {
      readonly kind: 'oversized';
      readonly extraBytes: number;
      readonly signed: boolean;
      readonly base64: boolean;
    }
  | { readonly kind: 'encoding'; readonly job: JobSpec; readonly encoding: Encoding }
  | { readonly kind: 'odd-shape'; readonly job: JobSpec; readonly odd: OddShape };

/** Paths into a `workflow_job` body that mutations delete or replace. */
export const MUTABLE_PATHS = [
  ['action'],
  ['workflow_job'],
  ['workflow_job', 'id'],
  ['workflow_job', 'run_id'],
  ['workflow_job', 'run_attempt'],
  ['workflow_job', 'labels'],
  ['workflow_job', 'labels', 0],
  ['workflow_job', 'created_at'],
  ['workflow_job', 'started_at'],
  ['workflow_job', 'completed_at'],
  ['workflow_job', 'runner_name'],
  ['workflow_job', 'runner_id'],
  ['workflow_job', 'conclusion'],
  ['workflow_job', 'workflow_name'],
  ['repository'],
  ['repository', 'name'],
  ['repository', 'owner'],
  ['repository', 'owner', 'login'],
  ['installation'],
  ['installation', 'id'],
] as const;

const job: fc.Arbitrary<JobSpec> = fc.record({
  jobId: fc.integer({ min: 1, max: 2_000 }),
  action: fc.constantFrom<Action>('queued', 'queued', 'waiting', 'in_progress', 'completed'),
  labels: fc.constantFrom<JobSpec['labels']>(
    'routable',
    'routable',
    'routable',
    'unroutable',
    'github-hosted',
  ),
  runAttempt: fc.integer({ min: 1, max: 3 }),
  headerCase: fc.constantFrom<JobSpec['headerCase']>('github', 'lower'),
  shape: fc.constantFrom<Shape>('api-gateway', 'function-url'),
});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), path: fc.nat(MUTABLE_PATHS.length - 1) }),
  fc.record({
    op: fc.constant('set' as const),
    path: fc.nat(MUTABLE_PATHS.length - 1),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    op: fc.constant('flip-byte' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ op: fc.constant('odd-label' as const), label: fc.nat(9) }),
  fc.record({ op: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 10, max: 200_000 }) }),
  fc.record({
    op: fc.constant('odd-number' as const),
    path: fc.constantFrom(2, 3, 4, 11, 19),
    value: fc.constantFrom(-1, 0, 1.5, 2 ** 53 + 2, 1e308, Number.MAX_SAFE_INTEGER),
  }),
  fc.record({
    op: fc.constant('duplicate-key' as const),
    action: fc.constantFrom<Action>('queued', 'in_progress', 'completed'),
  }),
);

/** The generated input mix: mostly hostile, some valid deliveries and replays of them. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('valid' as const), job, fault: fc.constant(null) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('valid' as const),
      job,
      fault: fc.constantFrom<DependencyFault | null>(
        null,
        null,
        null,
        'dynamodb-5xx',
        'dynamodb-throttled',
        'sqs-5xx',
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replay' as const),
      pick: fc.nat(),
      shape: fc.constantFrom<Shape>('api-gateway', 'function-url'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('other-event' as const),
      event: fc.constantFrom('ping', 'push', 'workflow_run', 'check_run', 'installation', ''),
      job,
    }),
  },
  {
    weight: 25,
    arbitrary: fc.record({
      kind: fc.constant('forged' as const),
      job,
      forgery: fc.constantFrom<Forgery>(
        'wrong-secret',
        'secret-fragment',
        'random-hex',
        'sha1-only',
        'missing',
        'empty',
        'no-prefix',
        'short-hex',
        'other-body',
      ),
    }),
  },
  {
    weight: 30,
    arbitrary: fc.record({ kind: fc.constant('mutated' as const), job, mutation, resigned: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('oversized' as const),
      extraBytes: fc.integer({ min: 1, max: 4_096 }),
      signed: fc.boolean(),
      base64: fc.boolean(),
    }),
  },
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('encoding' as const),
      job,
      encoding: fc.constantFrom<Encoding>(
        'base64-flag-true-on-text',
        'base64-flag-false-on-base64',
        'invalid-utf8',
        'bom',
        'gzip',
        'utf16',
        'content-type-text',
        'content-type-form',
      ),
    }),
  },
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('odd-shape' as const),
      job,
      odd: fc.constantFrom<OddShape>(
        'header-array',
        'header-number',
        'header-null',
        'header-object',
        'duplicate-header-case',
        'missing-event-header',
        'missing-delivery-header',
        'null-body',
        'body-object',
        'body-number',
        'headers-string',
        'headers-null',
        'base64-flag-string',
        'event-null',
        'event-array',
        'event-string',
      ),
    }),
  },
);
