import { ConfigurationError, type SecretReader } from '@hangar/core';

/**
 * The tag that binds a runner secret to one machine. The runner roles' IAM policy
 * (infra/modules/multi-runner/iam-runners.tf) allows GetParameter/DeleteParameter only when
 * `aws:ResourceTag/hangar:principal` equals the caller's `${aws:userid}`.
 */
export const SECRET_PRINCIPAL_TAG = 'hangar:principal';

/** Unique ids (AROA…) of the roles runner machines call AWS with. */
export interface RunnerRoleIds {
  /** The EC2 instance profile's role. */
  readonly ec2?: string;
  /** The Fargate task role. */
  readonly fargate?: string;
}

/**
 * The `aws:userid` one machine's calls carry: `<role unique id>:<role session name>`. AWS names
 * an instance profile's session after the instance id (IAM policy variables reference,
 * "role-id:ec2-instance-id"), and an ECS task role's session after the task id (the last part
 * of the task ARN), so no other machine can present the same value.
 */
export function secretPrincipal(roles: RunnerRoleIds, reader: SecretReader): string {
  const roleId = roles[reader.compute];
  if (roleId === undefined || roleId === '') {
    throw new ConfigurationError([
      `no runner role id is configured for ${reader.compute} machines: their secrets cannot be bound to them`,
    ]);
  }
  const session = reader.compute === 'fargate' ? taskIdOf(reader.instanceId) : reader.instanceId;
  return `${roleId}:${session}`;
}

/** `arn:aws:ecs:<region>:<account>:task/<cluster>/<task id>` → `<task id>`. */
function taskIdOf(taskArn: string): string {
  const id = taskArn.slice(taskArn.lastIndexOf('/') + 1);
  if (!/^[0-9a-zA-Z-]+$/.test(id)) throw new Error(`${taskArn} is not an ECS task ARN ending in a task id`);
  return id;
}
