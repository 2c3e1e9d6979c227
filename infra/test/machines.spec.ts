import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { poolsSchema } from '@hangar/runtime-lambda/config/pools-schema';
import { INFRA } from './support/hcl';
import { evaluate } from './support/terraform';

// The machine settings of issue 12 are resolved and validated in modules/pools-document, which
// is provider-free: evaluated here by a real `terraform apply` (two runs, one valid, one with
// every rule broken once: Terraform reports every failing validation of a run).

const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');

function apply(configs: Record<string, unknown>, compute: Record<string, unknown>) {
  return evaluate(
    `module "doc" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = jsondecode(${JSON.stringify(JSON.stringify(configs))})
  compute        = jsondecode(${JSON.stringify(JSON.stringify(compute))})
}
output "all" {
  value = { json = module.doc.json, machines = module.doc.machines }
}
`,
    'all',
  );
}

const ec2 = (id: string) => ({
  subnet_ids: ['subnet-1'],
  launch_template_name: `hangar-${id}`,
  instance_types: ['m7i.large'],
});

describe('runner machine settings rendered by pools-document', () => {
  it('resolves volumes, metadata options, key pair, labels and the registration mode of each configuration', () => {
    const configs = {
      big: {
        labels: ['self-hosted', 'gpu'],
        owner: 'acme',
        root_volume_size_gb: 50,
        key_name: 'ops',
        associate_public_ipv4_address: true,
        block_device_mappings: [
          { volume_size: 200, iops: 6000, throughput: 500 },
          {
            device_name: '/dev/sdf',
            volume_type: 'st1',
            volume_size: 500,
            kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k',
          },
        ],
        metadata_options: { http_put_response_hop_limit: 2 },
        ephemeral: true,
        enable_jit_config: false,
      },
      plain: { labels: ['win'], owner: 'acme', os: 'windows', runner_disable_default_labels: true },
      task: {
        labels: ['fargate'],
        owner: 'acme',
        compute: 'fargate',
        architecture: 'arm64',
        fargate: { task_definition: 'hangar-runner:3', container_name: 'main' },
      },
    };
    const result = apply(configs, {
      big: ec2('big'),
      plain: ec2('plain'),
      task: {
        subnet_ids: ['subnet-1'],
        cluster: 'hangar-runners',
        task_definition: 'hangar-runner:3',
        container_name: 'main',
        task_role_arn: 'arn:aws:iam::1:role/hangar-runner-task',
      },
    });
    if (!result.ok) throw new Error(result.error);
    const { json, machines } = result.value as {
      json: string;
      machines: Record<string, Record<string, unknown>>;
    };
    const root = {
      device_name: null,
      encrypted: true,
      delete_on_termination: true,
      kms_key_id: null,
      snapshot_id: null,
    };
    expect(machines.big).toEqual({
      key_name: 'ops',
      associate_public_ipv4_address: true,
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 2 },
      volumes: [
        { ...root, volume_type: 'gp3', volume_size: 200, iops: 6000, throughput: 500 },
        {
          device_name: '/dev/sdf',
          volume_type: 'st1',
          volume_size: 500,
          iops: null,
          throughput: null,
          encrypted: true,
          kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k',
          snapshot_id: null,
          delete_on_termination: true,
        },
      ],
    });
    // Defaults: IMDSv2 required with hop limit 1, the subnet's public-IP setting, one root volume.
    expect(machines.plain).toEqual({
      key_name: null,
      associate_public_ipv4_address: null,
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
      volumes: [{ ...root, volume_type: 'gp3', volume_size: 30, iops: null, throughput: null }],
    });
    expect(Object.keys(machines).sort()).toEqual(['big', 'plain']);
    const pools = poolsSchema.parse(JSON.parse(json));
    expect(pools.map((p) => [p.id, p.jitConfig, p.defaultLabels])).toEqual([
      ['big', false, ['self-hosted', 'Linux', 'X64']],
      ['plain', true, []],
      ['task', true, ['self-hosted', 'Linux', 'ARM64']],
    ]);
    expect(pools.find((p) => p.id === 'task')?.compute).toMatchObject({
      kind: 'fargate',
      taskDefinition: 'hangar-runner:3',
      containerName: 'main',
      taskRoleArn: 'arn:aws:iam::1:role/hangar-runner-task',
    });
  });

  it('refuses each broken setting at plan time with a message naming it', () => {
    const bad = (override: object) => ({ labels: ['x'], owner: 'acme', ...override });
    const configs = {
      iops: bad({ block_device_mappings: [{ volume_type: 'gp2', iops: 3000 }] }),
      roots: bad({ block_device_mappings: [{ volume_size: 40 }, { volume_size: 50 }] }),
      imds: bad({ metadata_options: { http_tokens: 'off' } }),
      template: bad({ enable_userdata: false, userdata_template: '/tmp/boot.sh' }),
      logs: bad({ cloudwatch_config: '{not json' }),
      both: bad({ compute: 'fargate', fargate: { image: 'x', task_definition: 'y' } }),
      storage: bad({ compute: 'fargate', fargate: { image: 'x', ephemeral_storage_gb: 500 } }),
    };
    const compute = Object.fromEntries(Object.keys(configs).map((id) => [id, { subnet_ids: ['subnet-1'] }]));
    const result = apply(configs, compute);
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error.replace(/\s+/g, ' ');
    for (const message of [
      'iops only for gp3, io1 and io2',
      'at most one entry without device_name',
      'http_tokens must be required (IMDSv2 only, the default) or optional',
      'userdata_template needs enable_userdata = true',
      'cloudwatch_config must be a CloudWatch agent configuration in JSON',
      'fargate needs exactly one of image',
    ])
      expect(error).toContain(message);
  });
});
