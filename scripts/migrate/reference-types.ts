// The reference module's types for the inputs the converter reads, loose enough to take every
// version's shape (v1 to v7): attributes are optional here so that what was set can be told
// from what was not. Values are read with Terraform's conversions (messages.ts `read`).
import {
  list,
  map,
  object,
  optional,
  tfBool,
  tfNumber,
  tfString,
  type TfType,
} from '../policy-check/terraform-types';

export const strings = list(tfString);

export const IDLE_CONFIG = list(
  object({
    cron: tfString,
    timeZone: optional(tfString),
    idleCount: tfNumber,
    evictionStrategy: optional(tfString),
  }),
);

export const POOL_CONFIG = list(
  object({
    schedule_expression: tfString,
    schedule_expression_timezone: optional(tfString),
    size: tfNumber,
  }),
);

export const BLOCK_DEVICE_MAPPINGS = list(
  object({
    delete_on_termination: optional(tfBool),
    device_name: optional(tfString),
    encrypted: optional(tfBool),
    iops: optional(tfNumber),
    kms_key_id: optional(tfString),
    snapshot_id: optional(tfString),
    throughput: optional(tfNumber),
    volume_initialization_rate: optional(tfNumber),
    volume_size: optional(tfNumber),
    volume_type: optional(tfString),
  }),
);

export const AMI = object({
  filter: optional(map(strings)),
  owners: optional(strings),
  id_ssm_parameter_arn: optional(tfString),
  kms_key_arn: optional(tfString),
});

export const JOB_RETRY = object({
  enable: optional(tfBool),
  delay_in_seconds: optional(tfNumber),
  delay_backoff: optional(tfNumber),
  lambda_memory_size: optional(tfNumber),
  lambda_timeout: optional(tfNumber),
  max_attempts: optional(tfNumber),
});

export const REDRIVE = object({
  enabled: tfBool,
  maxReceiveCount: optional(tfNumber),
  deadLetterTargetArn: optional(tfString),
});

export const MATCHER_CONFIG: Readonly<Record<string, TfType>> = {
  labelMatchers: list(strings),
  exactMatch: tfBool,
  bidirectionalLabelMatch: tfBool,
  priority: tfNumber,
};

const SSM_PARAMETER = object({ arn: tfString, name: tfString });

export const GITHUB_APP = object({
  key_base64: optional(tfString),
  key_base64_ssm: optional(SSM_PARAMETER),
  id: optional(tfString),
  id_ssm: optional(SSM_PARAMETER),
  webhook_secret: optional(tfString),
  webhook_secret_ssm: optional(SSM_PARAMETER),
  installation_id: optional(tfString),
  installation_id_ssm: optional(SSM_PARAMETER),
});

export const EGRESS_RULES = list(
  object({
    cidr_blocks: optional(strings),
    ipv6_cidr_blocks: optional(strings),
    prefix_list_ids: optional(strings),
    from_port: optional(tfNumber),
    protocol: optional(tfString),
    security_groups: optional(strings),
    self: optional(tfBool),
    to_port: optional(tfNumber),
    description: optional(tfString),
  }),
);

export const QUEUE_ENCRYPTION = object({
  kms_data_key_reuse_period_seconds: optional(tfNumber),
  kms_master_key_id: optional(tfString),
  sqs_managed_sse_enabled: optional(tfBool),
});
