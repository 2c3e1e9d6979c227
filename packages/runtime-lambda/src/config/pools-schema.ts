import { z } from 'zod';

/**
 * The runner configurations ("pools") as stored in the SSM parameter named by
 * `HANGAR_POOLS_PARAMETER`. The Terraform module renders this JSON from its variables;
 * infra/test checks the module's rendering against this schema.
 */

const cronField = z.string().trim().min(1, 'a 6-field cron expression with seconds');

const idleWindow = z.object({
  cron: cronField,
  timeZone: z.string().optional(),
  idleCount: z.number().int().min(0),
  evictionStrategy: z.enum(['oldest-first', 'newest-first']).optional(),
});

const poolSchedule = z.object({
  cron: cronField,
  timeZone: z.string().optional(),
  size: z.number().int().min(0),
});

export const ec2ComputeSchema = z.object({
  kind: z.literal('ec2'),
  launchTemplateName: z.string().min(1),
  subnetIds: z.array(z.string().min(1)).min(1),
  /** Order is priority (first = preferred). */
  instanceTypes: z.array(z.string().min(1)).min(1),
  allocationStrategy: z
    .enum([
      'lowest-price',
      'price-capacity-optimized',
      'capacity-optimized',
      'capacity-optimized-prioritized',
      'diversified',
    ])
    .default('price-capacity-optimized'),
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

export const poolSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, at most 40'),
  labels: z.array(z.string().min(1)).min(1),
  matching: z
    .object({
      mode: z.enum(['exact', 'subset', 'loose']).default('subset'),
      priority: z.number().int().default(999),
    })
    .default({ mode: 'subset', priority: 999 }),
  level: z.enum(['org', 'repo']).default('org'),
  owner: z.string().min(1),
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
  /** Ephemeral runners register with a JIT config; false: a registration token and `config.sh --ephemeral`. */
  jitConfig: z.boolean().default(true),
  /**
   * The runner's default labels (`self-hosted`, OS, architecture) sent with a JIT registration;
   * empty when they are off (`config.sh --no-default-labels`). Absent: JIT runners get exactly
   * `labels` and `config.sh` adds its defaults (documents rendered before this setting).
   */
  defaultLabels: z.array(z.string().min(1)).optional(),
  compute: z.discriminatedUnion('kind', [ec2ComputeSchema, fargateComputeSchema]),
});

export const poolsSchema = z
  .array(poolSchema)
  .min(1, 'at least one runner configuration')
  .superRefine((pools, ctx) => {
    const seen = new Set<string>();
    pools.forEach((pool, index) => {
      if (seen.has(pool.id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate pool id ${pool.id}` });
      seen.add(pool.id);
    });
  });

export type PoolDocument = z.infer<typeof poolSchema>;
export type Ec2ComputeDocument = z.infer<typeof ec2ComputeSchema>;
export type FargateComputeDocument = z.infer<typeof fargateComputeSchema>;
