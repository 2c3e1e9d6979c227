import { convertCron, validTimeZone } from '@hangar/core';
import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * The runner configurations ("pools") as stored in the SSM parameter named by
 * `HANGAR_POOLS_PARAMETER`. The Terraform module renders this JSON from its variables;
 * infra/test checks the module's rendering against this schema.
 *
 * zod/mini rather than zod: the same schemas and messages, written as functions
 * (`z.optional(s)`, `s.check(z.minLength(1))`) that esbuild can tree-shake; zod's chained API
 * brings its whole library and every locale into each bundle (~445 KiB of ~1.9 MiB before).
 * zod/mini carries no messages of its own: the English ones zod prints are configured here.
 */
z.config(en());

// Every form core's cron grammar accepts (6-field, 5-field, EventBridge cron(...)): a cron the
// policies cannot evaluate, or one that never fires (31 February), is refused here, not found
// by scale-down on every run. convertCron rather than parseCron: the same verdicts (cron.spec's
// property) without cron-parser and luxon (~100 KiB), which the webhook never runs.
const cronField = z.string().check(
  z.superRefine((value, ctx) => {
    const parsed = convertCron(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  }),
);

const timeZoneField = z.string().check(
  z.superRefine((value, ctx) => {
    if (!validTimeZone(value))
      ctx.addIssue({ code: 'custom', message: `time zone "${value}" is not an IANA time zone` });
  }),
);

const idleWindow = z.object({
  cron: cronField,
  timeZone: z.optional(timeZoneField),
  idleCount: z.number().check(z.int(), z.minimum(0)),
  evictionStrategy: z.optional(z.enum(['oldest-first', 'newest-first'])),
});

const poolSchedule = z.object({
  cron: cronField,
  timeZone: z.optional(timeZoneField),
  size: z.number().check(z.int(), z.minimum(0)),
});

/** A non-empty string; `.check(z.minLength(1))` is zod's `.min(1)`. */
const nonEmpty = () => z.string().check(z.minLength(1));
/** A non-empty array of non-empty strings. */
const nonEmptyList = () => z.array(nonEmpty()).check(z.minLength(1));

export const ec2ComputeSchema = z.object({
  kind: z.literal('ec2'),
  launchTemplateName: nonEmpty(),
  subnetIds: nonEmptyList(),
  /**
   * Instance types; the adapter sends each one's position as its CreateFleet `Priority`, but
   * EC2 honours that order only under spot `capacity-optimized-prioritized` and on-demand
   * `prioritized`. Under the defaults (`price-capacity-optimized`, `lowest-price`) EC2 picks by
   * capacity and price, and the order is not a preference.
   */
  instanceTypes: nonEmptyList(),
  /**
   * Spot strategy. Default `price-capacity-optimized`, AWS's recommendation: the deepest pools
   * (fewest interruptions, which cost a runner its job), cheapest among them.
   */
  allocationStrategy: z._default(
    z.enum([
      'lowest-price',
      'price-capacity-optimized',
      'capacity-optimized',
      'capacity-optimized-prioritized',
      'diversified',
    ]),
    'price-capacity-optimized',
  ),
  /** On-demand strategy. Default `lowest-price` (EC2's own default); `prioritized` follows `instanceTypes` order. */
  onDemandAllocationStrategy: z._default(z.enum(['lowest-price', 'prioritized']), 'lowest-price'),
  spotMaxPrice: z.optional(z.string()),
  imageId: z.optional(z.string()),
  imageIdSsmParameter: z.optional(z.string()),
  extraTags: z._default(z.record(z.string(), z.string()), {}),
});

export const fargateComputeSchema = z.object({
  kind: z.literal('fargate'),
  cluster: nonEmpty(),
  taskDefinition: nonEmpty(),
  containerName: nonEmpty(),
  subnetIds: nonEmptyList(),
  securityGroupIds: z._default(z.array(nonEmpty()), []),
  assignPublicIp: z._default(z.boolean(), false),
  capacityProvider: z._default(z.enum(['FARGATE', 'FARGATE_SPOT']), 'FARGATE'),
  /** Set for an existing task definition: RunTask gives the task this role instead of its own. */
  taskRoleArn: z.optional(nonEmpty()),
});

// An organization, or owner/repo; which one must agree with the pool's level.
const OWNER = /^[^/\s]+(\/[^/\s]+)?$/;

/** An integer of at least `min`; zod's `.int().min(min)`. */
const integer = (min?: number) =>
  min === undefined ? z.number().check(z.int()) : z.number().check(z.int(), z.minimum(min));

export const poolSchema = z
  .object({
    id: z
      .string()
      .check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, at most 40')),
    labels: nonEmptyList(),
    matching: z._default(
      z.object({
        mode: z._default(z.enum(['exact', 'subset', 'loose']), 'subset'),
        priority: z._default(integer(), 999),
      }),
      { mode: 'subset', priority: 999 },
    ),
    level: z._default(z.enum(['org', 'repo']), 'org'),
    /** The organization (or user); `owner/repo` for a repo-level pool. */
    owner: z.string().check(z.regex(OWNER, 'an organization, or owner/repo for a repo-level pool')),
    runnerGroup: z.optional(z.string()),
    namePrefix: z._default(z.string(), ''),
    ephemeral: z._default(z.boolean(), true),
    maxRunners: z._default(integer(-1), -1),
    minimumRunningTimeMinutes: z._default(integer(0), 5),
    bootTimeMinutes: z._default(integer(1), 5),
    jobQueuedCheck: z._default(z.boolean(), true),
    idleWindows: z._default(z.array(idleWindow), []),
    poolSchedules: z._default(z.array(poolSchedule), []),
    capacity: z._default(
      z.object({
        type: z._default(z.enum(['spot', 'on-demand']), 'spot'),
        onDemandFailoverFor: z._default(z.array(z.string()), []),
      }),
      { type: 'spot', onDemandFailoverFor: [] },
    ),
    maxLaunchAttempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 3),
    /** Ephemeral runners register with a JIT config; false: a registration token and `config.sh --ephemeral`. */
    jitConfig: z._default(z.boolean(), true),
    /**
     * The runner's default labels (`self-hosted`, OS, architecture) sent with a JIT registration;
     * empty when they are off (`config.sh --no-default-labels`). Absent: JIT runners get exactly
     * `labels` and `config.sh` adds its defaults (documents rendered before this setting).
     */
    defaultLabels: z.optional(z.array(nonEmpty())),
    compute: z.discriminatedUnion('kind', [ec2ComputeSchema, fargateComputeSchema]),
  })
  .check(
    z.superRefine((pool, ctx) => {
      if (!OWNER.test(pool.owner)) return;
      const names = pool.owner.includes('/') ? 'repo' : 'org';
      if (pool.level === 'repo' && names === 'org') {
        ctx.addIssue({
          code: 'custom',
          path: ['owner'],
          message: `a repo-level pool serves one repository: owner must be "owner/repo", found "${pool.owner}"`,
        });
      }
      if (pool.level === 'org' && names === 'repo') {
        ctx.addIssue({
          code: 'custom',
          path: ['owner'],
          message: `owner "${pool.owner}" names a repository: set level to "repo" for repo-level runners, or give the organization alone`,
        });
      }
    }),
  );

export type PoolDocument = z.infer<typeof poolSchema>;

/** The `id` of a pool document that may not have passed the schema, to name it in problems. */
const idOf = (document: unknown): string | null =>
  typeof document === 'object' && document !== null && 'id' in document && typeof document.id === 'string'
    ? document.id
    : null;

/**
 * Every pool is checked on its own, so one broken pool never hides another's problems, and
 * each problem names its pool: `pool gpu: <reason>` at `[index].<field>`.
 */
export const poolsSchema = z.pipe(
  z.array(z.unknown()).check(z.minLength(1, 'at least one runner configuration')),
  // zod/mini hands a transform the parse payload itself: issues are pushed onto it.
  z.transform((documents: unknown[], ctx): PoolDocument[] => {
    const pools: PoolDocument[] = [];
    const seen = new Set<string>();
    documents.forEach((document, index) => {
      const id = idOf(document);
      const parsed = poolSchema.safeParse(document);
      if (parsed.success) pools.push(parsed.data);
      for (const issue of parsed.error?.issues ?? []) {
        ctx.issues.push({
          code: 'custom',
          input: document,
          path: [index, ...issue.path],
          message: id === null ? issue.message : `pool ${id}: ${issue.message}`,
        });
      }
      if (id !== null && seen.has(id))
        ctx.issues.push({
          code: 'custom',
          input: document,
          path: [index, 'id'],
          message: `duplicate pool id ${id}`,
        });
      if (id !== null) seen.add(id);
    });
    return pools;
  }),
);

/** Where a pool's runners register: the organization, or the one repository of `owner/repo`. */
export function poolScope(
  pool: Pick<PoolDocument, 'level' | 'owner'>,
):
  | { readonly level: 'org'; readonly owner: string }
  | { readonly level: 'repo'; readonly owner: string; readonly repo: string } {
  if (pool.level === 'org') return { level: 'org', owner: pool.owner };
  const [owner = '', repo = ''] = pool.owner.split('/');
  return { level: 'repo', owner, repo };
}
export type Ec2ComputeDocument = z.infer<typeof ec2ComputeSchema>;
export type FargateComputeDocument = z.infer<typeof fargateComputeSchema>;
