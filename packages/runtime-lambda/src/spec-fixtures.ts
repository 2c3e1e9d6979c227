import { generateKeyPairSync } from 'node:crypto';
import { ConfigurationError } from '@hangar/core';
import type { ParameterSource } from './config/load';
import type * as z from 'zod/mini';
import type { poolSchema } from './config/pools-schema';

type PoolInput = z.input<typeof poolSchema>;

/** A real RSA key in PEM, as a GitHub App private key looks (the adapter parses it). */
export function appPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

export const PARAMETERS = {
  pools: '/hangar/config/pools',
  apps: '/hangar/config/github-apps',
  webhookSecret: '/hangar/config/webhook-secret',
} as const;

/** One EC2 and one Fargate pool, as an operator writes them. */
export const POOLS: readonly PoolInput[] = [
  {
    id: 'linux-x64',
    labels: ['self-hosted', 'linux', 'x64'],
    owner: 'acme',
    maxRunners: 10,
    compute: {
      kind: 'ec2',
      launchTemplateName: 'hangar-linux-x64',
      subnetIds: ['subnet-1'],
      instanceTypes: ['m7i.large', 'm6i.large'],
    },
  },
  {
    id: 'fargate-small',
    labels: ['self-hosted', 'fargate'],
    owner: 'acme',
    compute: {
      kind: 'fargate',
      cluster: 'hangar',
      taskDefinition: 'hangar-runner',
      containerName: 'runner',
      subnetIds: ['subnet-1'],
    },
  },
];

/** Every variable any handler reads, with valid values. */
export function fullEnvironment(endpoint = 'http://127.0.0.1:9'): Record<string, string> {
  return {
    HANGAR_TABLE_NAME: 'hangar-events',
    HANGAR_DEPLOYMENT: 'hangar-test',
    HANGAR_POOLS_PARAMETER: PARAMETERS.pools,
    HANGAR_SCALE_UP_QUEUE_URL: `${endpoint}/000000000000/hangar-scale-up`,
    HANGAR_JOB_EVENTS_QUEUE_URL: `${endpoint}/000000000000/hangar-job-events`,
    HANGAR_WEBHOOK_SECRET_PARAMETER: PARAMETERS.webhookSecret,
    HANGAR_GITHUB_APPS_PARAMETER: PARAMETERS.apps,
    HANGAR_BINARIES_BUCKET: 'hangar-binaries',
    HANGAR_RUNNER_ROLE_ID: 'AROASPECRUNNERROLE01',
    HANGAR_RUNNER_TASK_ROLE_ID: 'AROASPECTASKROLE0001',
  };
}

/** Parameter Store in memory, counting reads, for configuration specs. */
export class MemoryParameters implements ParameterSource {
  readonly reads: string[] = [];
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  async readParameter(name: string): Promise<string> {
    this.reads.push(name);
    const value = this.values[name];
    if (value === undefined) throw new ConfigurationError([`SSM parameter ${name} does not exist`]);
    return value;
  }

  async readJson(name: string): Promise<unknown> {
    return JSON.parse(await this.readParameter(name)) as unknown;
  }
}

/** The three parameters with valid contents. */
export function validParameters(privateKey: string, secret = 'webhook-secret-for-specs'): MemoryParameters {
  return new MemoryParameters({
    [PARAMETERS.pools]: JSON.stringify(POOLS),
    [PARAMETERS.apps]: JSON.stringify([{ appId: 101, privateKey }]),
    [PARAMETERS.webhookSecret]: secret,
  });
}
