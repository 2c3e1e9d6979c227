/**
 * The single source of truth for Hangar's Lambda environment: every variable, which
 * handlers need it, and the bundle each handler ships in. The Terraform module's tests
 * (infra/test) check the module against this table, so names cannot drift.
 */

export const HANDLER_NAMES = [
  'webhook',
  'scale-up',
  'job-events',
  'scale-down',
  'pool',
  'reconciler',
  'instance-events',
  'binaries-syncer',
] as const;

export type HandlerName = (typeof HANDLER_NAMES)[number];

export interface HandlerDescriptor {
  /** Bundle file: `dist/lambda/<bundle>.zip`, containing `index.mjs`. */
  readonly bundle: HandlerName;
  /** The Lambda handler string: `index.handler`. */
  readonly handler: 'index.handler';
  readonly trigger: 'http' | 'sqs' | 'schedule' | 'eventbridge';
  readonly description: string;
}

export const HANDLERS: Readonly<Record<HandlerName, HandlerDescriptor>> = {
  webhook: {
    bundle: 'webhook',
    handler: 'index.handler',
    trigger: 'http',
    description: 'Verifies workflow_job webhooks, records the job fact, enqueues work',
  },
  'scale-up': {
    bundle: 'scale-up',
    handler: 'index.handler',
    trigger: 'sqs',
    description: 'Routes a job to a pool, reserves capacity, launches a runner with its JIT config',
  },
  'job-events': {
    bundle: 'job-events',
    handler: 'index.handler',
    trigger: 'sqs',
    description: 'Moves runners busy/idle/done from in_progress and completed job events',
  },
  'scale-down': {
    bundle: 'scale-down',
    handler: 'index.handler',
    trigger: 'schedule',
    description: 'Removes idle, boot-timed-out and orphaned runners; never a busy one',
  },
  pool: {
    bundle: 'pool',
    handler: 'index.handler',
    trigger: 'schedule',
    description: 'Tops pools up to the size of their active schedule',
  },
  reconciler: {
    bundle: 'reconciler',
    handler: 'index.handler',
    trigger: 'schedule',
    description: 'Requests runners again for stuck jobs, redelivers failed webhooks, cleans leaks',
  },
  'instance-events': {
    bundle: 'instance-events',
    handler: 'index.handler',
    trigger: 'eventbridge',
    description: 'Records EC2 state changes and spot interruptions; re-runs interrupted jobs',
  },
  'binaries-syncer': {
    bundle: 'binaries-syncer',
    handler: 'index.handler',
    trigger: 'schedule',
    description: 'Mirrors the actions/runner release per OS and architecture into S3 when it changed',
  },
};

export interface VariableDescriptor {
  readonly description: string;
  /** Handlers that cannot start without it. */
  readonly requiredBy: readonly HandlerName[];
  /** Handlers that read it when set (beyond `requiredBy`). */
  readonly optionalFor: readonly HandlerName[];
  /** The value used when unset (optional variables only), as the string an operator would write. */
  readonly default?: string;
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
}

const ALL: readonly HandlerName[] = HANDLER_NAMES;
const CONTROL: readonly HandlerName[] = HANDLER_NAMES.filter((name) => name !== 'binaries-syncer');
/**
 * Handlers that call GitHub as the App. Not the binaries syncer: it reads the public
 * actions/runner releases anonymously (one call per run) and so never holds the App keys.
 */
const GITHUB_USERS: readonly HandlerName[] = [
  'scale-up',
  'job-events',
  'scale-down',
  'pool',
  'reconciler',
  'instance-events',
];
/** Handlers that cannot start without a GitHub App (one of the two App variables). */
export const GITHUB_APP_USERS = GITHUB_USERS;
/**
 * The webhook asks GitHub to re-run a spot-interrupted job when its `completed` fact arrives
 * (core's recordWorkflowJob); without a GitHub App it cannot, and such a rerun fails (logged).
 */
const GITHUB_OPTIONAL: readonly HandlerName[] = ['webhook'];
const LAUNCHERS: readonly HandlerName[] = [
  'scale-up',
  'job-events',
  'pool',
  'scale-down',
  'reconciler',
  'instance-events',
];

export const ENVIRONMENT = {
  HANGAR_TABLE_NAME: {
    description: 'DynamoDB event store table',
    requiredBy: CONTROL,
    optionalFor: [],
    expected: 'a table name',
  },
  HANGAR_DEPLOYMENT: {
    description:
      "This deployment's name (the module's prefix), tagged on every machine it launches as hangar:deployment: " +
      'it lists (and so can take for orphans) only machines carrying it, so deployments sharing an account or cluster never touch each other',
    requiredBy: LAUNCHERS,
    optionalFor: [],
    expected: 'the deployment name, e.g. the Terraform prefix',
  },
  HANGAR_POOLS_PARAMETER: {
    description: 'SSM parameter holding the runner configurations (pools) as JSON',
    requiredBy: CONTROL,
    optionalFor: [],
    expected: 'an SSM parameter name such as /hangar/config/pools',
  },
  HANGAR_SCALE_UP_QUEUE_URL: {
    description: 'SQS queue of scale-up work (jobs to serve, runners to launch)',
    // scale-up sends a job back with a delay while its pool is at maxRunners; every function
    // that gives a slot back (job-events, scale-down, reconciler, instance-events) sends the
    // job waiting for it (core pool-slots.ts).
    requiredBy: ['webhook', 'scale-up', 'job-events', 'scale-down', 'pool', 'reconciler', 'instance-events'],
    optionalFor: [],
    expected: 'an SQS queue URL',
  },
  HANGAR_JOB_EVENTS_QUEUE_URL: {
    description: 'SQS queue of in_progress/completed job events',
    requiredBy: ['webhook'],
    optionalFor: [],
    expected: 'an SQS queue URL',
  },
  HANGAR_SCALE_UP_DELAY_SECONDS: {
    description: 'Delay before a queued job is served, so a job picked up by an idle runner needs no new one',
    requiredBy: [],
    optionalFor: ['webhook', 'reconciler'],
    default: '0',
    expected: 'an integer from 0 to 900',
  },
  HANGAR_WEBHOOK_SECRET_PARAMETER: {
    description:
      'SSM SecureString with the GitHub App webhook secret, or a JSON list of secrets (current first) during a rotation',
    requiredBy: ['webhook'],
    optionalFor: [],
    expected: 'an SSM parameter name',
  },
  // One of the two GitHub App variables is required by GITHUB_APP_USERS, never both
  // (setting-conflicts.ts): neither is in `requiredBy`, which names a single variable.
  HANGAR_GITHUB_APPS_PARAMETER: {
    description:
      'SSM SecureString the module writes with the GitHub Apps as JSON: [{"appId": 1, "privateKey": "-----BEGIN..."}] (the key as PEM or the base64 of the .pem file); or set HANGAR_GITHUB_APP_PARAMETERS',
    requiredBy: [],
    optionalFor: [...GITHUB_USERS, ...GITHUB_OPTIONAL],
    expected: 'an SSM parameter name',
  },
  HANGAR_GITHUB_APP_PARAMETERS: {
    description:
      'GitHub Apps kept in SSM parameters the operator created (Terraform: github_app_parameters) as JSON: [{"appId": "<parameter holding the App ID>", "privateKey": "<parameter holding the PEM or its base64>"}], names or ARNs; or set HANGAR_GITHUB_APPS_PARAMETER',
    requiredBy: [],
    optionalFor: [...GITHUB_USERS, ...GITHUB_OPTIONAL],
    expected: 'a JSON list of {"appId", "privateKey"} SSM parameter names or ARNs',
  },
  HANGAR_GITHUB_API_URL: {
    description: 'GitHub API base URL; set for GitHub Enterprise Server (https://ghes.example.com/api/v3)',
    requiredBy: [],
    optionalFor: [...GITHUB_USERS, ...GITHUB_OPTIONAL],
    default: 'https://api.github.com',
    expected: 'an http(s) URL',
  },
  HANGAR_GITHUB_TLS_VERIFY: {
    description: 'Verify the GitHub Enterprise Server TLS certificate',
    requiredBy: [],
    optionalFor: [...GITHUB_USERS, ...GITHUB_OPTIONAL],
    default: 'true',
    expected: 'true or false',
  },
  HANGAR_RUNNER_SECRET_PATH: {
    description: 'SSM path prefix under which each runner finds its JIT config',
    requiredBy: [],
    optionalFor: LAUNCHERS,
    default: '/hangar/runners',
    expected: 'an SSM path starting with /',
  },
  HANGAR_RUNNER_ROLE_ID: {
    description:
      'Unique id of the EC2 runner role: each runner secret is tagged <id>:<instance id>, the only caller the role policy lets read or delete it',
    requiredBy: ['scale-up'],
    optionalFor: [],
    expected: 'an IAM role unique id (AROA…)',
  },
  HANGAR_RUNNER_TASK_ROLE_ID: {
    description:
      'Unique id of the Fargate task role: a task runner secret is tagged <id>:<task id>; needed when a pool runs on Fargate',
    requiredBy: [],
    optionalFor: ['scale-up'],
    expected: 'an IAM role unique id (AROA…)',
  },
  HANGAR_SSM_KMS_KEY_ID: {
    description: 'Customer-managed KMS key for runner secrets (default: the AWS managed key)',
    requiredBy: [],
    optionalFor: LAUNCHERS,
    expected: 'a KMS key id, alias or ARN',
  },
  HANGAR_REPOSITORY_ALLOW_LIST: {
    description: 'Repositories (owner/repo, comma-separated) allowed to use the runners; empty = all',
    requiredBy: [],
    optionalFor: CONTROL,
    default: '',
    expected: 'comma-separated owner/repo names',
  },
  HANGAR_JOB_RETRY_AFTER_MINUTES: {
    description: 'A queued job without a working runner for this long gets a runner again',
    requiredBy: [],
    optionalFor: CONTROL,
    default: '10',
    expected: 'a positive integer',
  },
  HANGAR_MAX_RUNNER_REQUESTS_PER_JOB: {
    description: 'Runner requests per job before the reconciler gives up on it',
    requiredBy: [],
    optionalFor: CONTROL,
    default: '3',
    expected: 'a positive integer',
  },
  HANGAR_JOB_QUEUE_LIMIT_MINUTES: {
    description: 'Jobs queued longer than this are left alone (GitHub cancels them after 24 h)',
    requiredBy: [],
    optionalFor: CONTROL,
    default: '1440',
    expected: 'a positive integer',
  },
  HANGAR_EVENT_RETENTION_DAYS: {
    description: 'Days an ended job or runner stream is kept before DynamoDB TTL removes it',
    requiredBy: [],
    optionalFor: CONTROL,
    default: '30',
    expected: 'a positive integer',
  },
  HANGAR_RECOVERY_MAX_GITHUB_CALLS: {
    description: 'GitHub API calls the reconciler may spend per run on redelivering failed webhooks',
    requiredBy: [],
    optionalFor: ['reconciler'],
    default: '20',
    expected: 'a non-negative integer',
  },
  HANGAR_ORPHAN_GRACE_MINUTES: {
    description: 'An instance whose runner is unknown or ended is terminated after this long',
    requiredBy: [],
    optionalFor: ['reconciler'],
    default: '10',
    expected: 'a positive integer',
  },
  HANGAR_BINARIES_BUCKET: {
    description: 'S3 bucket mirroring the actions/runner release',
    requiredBy: ['binaries-syncer'],
    optionalFor: [],
    expected: 'an S3 bucket name',
  },
  HANGAR_BINARIES_PRERELEASE: {
    description: 'Mirror prerelease runner versions too',
    requiredBy: [],
    optionalFor: ['binaries-syncer'],
    default: 'false',
    expected: 'true or false',
  },
  HANGAR_BINARIES_PLATFORMS: {
    description:
      'Runner builds to mirror (os-arch, comma-separated): the module sets the ones its runner configurations boot from; unset mirrors every build of the release',
    requiredBy: [],
    optionalFor: ['binaries-syncer'],
    expected: 'a comma-separated list of linux-x64, linux-arm64, win-x64, win-arm64, osx-x64 or osx-arm64',
  },
  POWERTOOLS_SERVICE_NAME: {
    description: 'Service name in logs and metrics',
    requiredBy: [],
    optionalFor: ALL,
    default: 'hangar',
    expected: 'a name',
  },
  POWERTOOLS_LOG_LEVEL: {
    description: 'Log level',
    requiredBy: [],
    optionalFor: ALL,
    default: 'INFO',
    expected: 'DEBUG, INFO, WARN or ERROR',
  },
  POWERTOOLS_METRICS_NAMESPACE: {
    description: 'CloudWatch metrics namespace',
    requiredBy: [],
    optionalFor: ALL,
    default: 'Hangar',
    expected: 'a namespace',
  },
  POWERTOOLS_TRACE_ENABLED: {
    description:
      'Load the Powertools tracer: AWS SDK and GitHub calls become X-Ray subsegments (the module sets it with tracing_mode). Unlike Powertools, Hangar treats unset as off, so functions without X-Ray never load the tracer',
    requiredBy: [],
    optionalFor: ALL,
    default: 'false',
    expected: 'true or false',
  },
} as const satisfies Readonly<Record<string, VariableDescriptor>>;

export type VariableName = keyof typeof ENVIRONMENT;

/** Variables a handler reads (required or optional). */
export function variablesFor(handler: HandlerName): readonly VariableName[] {
  return (Object.keys(ENVIRONMENT) as VariableName[]).filter((name) => {
    const descriptor: VariableDescriptor = ENVIRONMENT[name];
    return descriptor.requiredBy.includes(handler) || descriptor.optionalFor.includes(handler);
  });
}

/** Variables a handler cannot start without. */
export function requiredVariablesFor(handler: HandlerName): readonly VariableName[] {
  return (Object.keys(ENVIRONMENT) as VariableName[]).filter((name) =>
    (ENVIRONMENT[name] as VariableDescriptor).requiredBy.includes(handler),
  );
}
