import { parseCron, validTimeZone } from '@hangar/core';
import { z } from 'zod';

/**
 * The runner configurations ("pools") as stored in the SSM parameter named by
 * `HANGAR_POOLS_PARAMETER`. The Terraform module renders this JSON from its variables;
 * infra/test checks the module's rendering against this schema.
 */

// Every form core's parseCron accepts (6-field, 5-field, EventBridge cron(...)): a cron the
// policies cannot evaluate is refused here, not found by scale-down on every run.
const cronField = z.string().superRefine((value, ctx) => {
  const parsed = parseCron(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
});

const timeZoneField = z.string().superRefine((value, ctx) => {
  if (!validTimeZone(value))
    ctx.addIssue({ code: 'custom', message: `time zone "${value}" is not an IANA time zone` });
});

const idleWindow = z.object({
  cron: cronField,
  timeZone: timeZoneField.optional(),
  idleCount: z.number().int().min(0),
  evictionStrategy: z.enum(['oldest-first', 'newest-first']).optional(),
});

const poolSchedule = z.object({
  cron: cronField,
  timeZone: timeZoneField.optional(),
  size: z.number().int().min(0),
});

export const ec2ComputeSchema = z.object({
  kind: z.literal('ec2'),
  launchTemplateName: z.string().min(1),
  subnetIds: z.array(z.string().min(1)).min(1),
  /**
   * Instance types; the adapter sends each one's position as its CreateFleet `Priority`, but
   * EC2 honours that order only under spot `capacity-optimized-prioritized` and on-demand
   * `prioritized`. Under the defaults (`price-capacity-optimized`, `lowest-price`) EC2 picks by
   * capacity and price, and the order is not a preference.
   */
  instanceTypes: z.array(z.string().min(1)).min(1),
  /**
   * Spot strategy. Default `price-capacity-optimized`, AWS's recommendation: the deepest pools
   * (fewest interruptions, which cost a runner its job), cheapest among them.
   */
  allocationStrategy: z
    .enum([
      'lowest-price',
      'price-capacity-optimized',
      'capacity-optimized',
      'capacity-optimized-prioritized',
      'diversified',
    ])
    .default('price-capacity-optimized'),
  /** On-demand strategy. Default `lowest-price` (EC2's own default); `prioritized` follows `instanceTypes` order. */
  onDemandAllocationStrategy: z.enum(['lowest-price', 'prioritized']).default('lowest-price'),
  spotMaxPrice: z.string().optional(),
  imageId: z.string().optional(),
  imageIdSsmParameter: z.string().optional(),
  extraTags: z.record(z.string(), z.string()).default({}),
});

export const fargateComputeSchema = z.object({
  kind: z.literal('fargate'),
  cluster: z.string().min(1),
  taskDefinition: z.string().min(1),
  containerName: z.string().min(1),
  subnetIds: z.array(z.string().min(1)).min(1),
  securityGroupIds: z.array(z.string().min(1)).default([]),
  assignPublicIp: z.boolean().default(false),
  capacityProvider: z.enum(['FARGATE', 'FARGATE_SPOT']).default('FARGATE'),
});

// An organization, or owner/repo; which one must agree with the pool's level.
const OWNER = /^[^/\s]+(\/[^/\s]+)?$/;

export const poolSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, at most 40'),
    labels: z.array(z.string().min(1)).min(1),
    matching: z
      .object({
        mode: z.enum(['exact', 'subset', 'loose']).default('subset'),
        priority: z.number().int().default(999),
      })
      .default({ mode: 'subset', priority: 999 }),
    level: z.enum(['org', 'repo']).default('org'),
    /** The organization (or user); `owner/repo` for a repo-level pool. */
    owner: z.string().regex(OWNER, 'an organization, or owner/repo for a repo-level pool'),
    runnerGroup: z.string().optional(),
    namePrefix: z.string().default(''),
    ephemeral: z.boolean().default(true),
    maxRunners: z.number().int().min(-1).default(-1),
    minimumRunningTimeMinutes: z.number().int().min(0).default(5),
    bootTimeMinutes: z.number().int().min(1).default(5),
    jobQueuedCheck: z.boolean().default(true),
    idleWindows: z.array(idleWindow).default([]),
    poolSchedules: z.array(poolSchedule).default([]),
    capacity: z
      .object({
        type: z.enum(['spot', 'on-demand']).default('spot'),
        onDemandFailoverFor: z.array(z.string()).default([]),
      })
      .default({ type: 'spot', onDemandFailoverFor: [] }),
    maxLaunchAttempts: z.number().int().min(1).max(10).default(3),
    compute: z.discriminatedUnion('kind', [ec2ComputeSchema, fargateComputeSchema]),
  })
  .superRefine((pool, ctx) => {
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
  });

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
export const poolsSchema = z
  .array(z.unknown())
  .min(1, 'at least one runner configuration')
  .transform((documents, ctx): PoolDocument[] => {
    const pools: PoolDocument[] = [];
    const seen = new Set<string>();
    documents.forEach((document, index) => {
      const id = idOf(document);
      const parsed = poolSchema.safeParse(document);
      if (parsed.success) pools.push(parsed.data);
      for (const issue of parsed.error?.issues ?? []) {
        ctx.addIssue({
          code: 'custom',
          path: [index, ...issue.path],
          message: id === null ? issue.message : `pool ${id}: ${issue.message}`,
        });
      }
      if (id !== null && seen.has(id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate pool id ${id}` });
      if (id !== null) seen.add(id);
    });
    return pools;
  });

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
