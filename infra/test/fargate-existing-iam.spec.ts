import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { documentValues, type StandIns } from './support/document-values';
import { INFRA, loadModule } from './support/hcl';
import { ACCOUNT, evaluate, type IamRequest } from './support/iam-simulation';
import { renderPolicyDocument, type IamPolicy } from './support/policy-documents';

// Fargate runners on task definitions the operator manages (fargate.task_definition by family
// or by ARN): the module's documents with every expression evaluated by terraform from its own
// locals (only what AWS would answer stands in), evaluated offline with iam-simulate.
const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const REGION = 'us-east-1';
const ecs = (what: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:${what}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const CLUSTER = ecs('cluster/hangar-runners');
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/hangar/hangar/runners`;
const HEAVY = ecs('task-definition/ops-heavy:12');

const PREAMBLE = `locals {
  partition  = "aws"
  region     = "${REGION}"
  account_id = "${ACCOUNT}"
  # What DescribeTaskDefinition answers for each task definition the configurations name.
  described = {
    "ops-runner" = { arn_without_revision = "${ecs('task-definition/ops-runner')}", execution_role_arn = "${role('ops-runner-execution')}" }
    "${HEAVY}"   = { arn_without_revision = "${ecs('task-definition/ops-heavy')}", execution_role_arn = "" }
  }
}
module "pools_document" {
  source         = "${join(INFRA, 'modules', 'pools-document')}"
  configurations = var.runner_configs
  compute = { for id, c in var.runner_configs : id => {
    subnet_ids = ["subnet-1"], launch_template_name = null, instance_types = null, cluster = "hangar-runners",
    task_definition = c.fargate.task_definition, container_name = c.fargate.container_name,
    security_group_ids = [], task_role_arn = "${role('hangar-runner-task')}"
  } }
}
`;
const STAND_INS: StandIns = [
  [
    'data.aws_ecs_task_definition.existing',
    '{ for id, c in local.existing_fargate : id => local.described[c.fargate.task_definition] }',
  ],
  [
    'aws_ecs_task_definition.runner',
    '{ for id, c in local.generated_fargate : id => { family = "${var.prefix}-${id}" } }',
  ],
  ['aws_ecs_cluster.runners[0].name', '"hangar-runners"'],
  ['aws_ecs_cluster.runners[0].arn', JSON.stringify(CLUSTER)],
  ['aws_iam_role.runner_task[0].arn', JSON.stringify(role('hangar-runner-task'))],
  ['aws_iam_role.runner_task_execution[0].arn', JSON.stringify(role('hangar-runner-task-execution'))],
  ['aws_s3_bucket.binaries.arn', '"arn:aws:s3:::hangar-binaries"'],
  ['aws_cloudwatch_log_group.runner.arn', JSON.stringify(LOG_GROUP)],
];
const fargate = (task_definition: string) => ({
  labels: ['self-hosted', 'fargate'],
  owner: 'acme',
  compute: 'fargate',
  fargate: { task_definition },
});
const DOCUMENTS = ['fargate_launch', 'runner_task', 'runner_task_execution'];
const values = await documentValues(multi, DOCUMENTS, STAND_INS, PREAMBLE, {
  vpc_id: 'vpc-1',
  subnet_ids: ['subnet-1'],
  github_apps: [{ app_id: 1, private_key: 'k' }],
  runner_configs: { family: fargate('ops-runner'), arn: fargate(HEAVY) },
});
const [launch, task, execution] = DOCUMENTS.map((d) => renderPolicyDocument(multi, d, values)) as [
  IamPolicy,
  IamPolicy,
  IamPolicy,
];

const as = (
  name: string,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): IamRequest => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`,
  action,
  resource,
  context,
});
const decide = async (policy: IamPolicy, request: IamRequest) =>
  (await evaluate({ policy }, request)).decision;

describe('scale-up with existing task definitions', () => {
  it('may run every revision of each named family, in Hangar’s cluster only', async () => {
    const inCluster = { 'ecs:cluster': CLUSTER };
    for (const td of [ecs('task-definition/ops-runner:7'), ecs('task-definition/ops-runner:8'), HEAVY])
      expect([td, await decide(launch, as('hangar-scale-up', 'ecs:RunTask', td, inCluster))]).toEqual([
        td,
        'Allowed',
      ]);
    const other = ecs('task-definition/ops-runner-extra:1');
    expect(await decide(launch, as('hangar-scale-up', 'ecs:RunTask', other, inCluster))).toBe(
      'ImplicitlyDenied',
    );
    const elsewhere = { 'ecs:cluster': ecs('cluster/production') };
    expect(await decide(launch, as('hangar-scale-up', 'ecs:RunTask', HEAVY, elsewhere))).toBe(
      'ImplicitlyDenied',
    );
  });

  it('may pass Hangar’s task role and the execution role the task definition brings, to ECS tasks only', async () => {
    const toTasks = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
    for (const passed of ['hangar-runner-task', 'hangar-runner-task-execution', 'ops-runner-execution'])
      expect([
        passed,
        await decide(launch, as('hangar-scale-up', 'iam:PassRole', role(passed), toTasks)),
      ]).toEqual([passed, 'Allowed']);
    const admin = as('hangar-scale-up', 'iam:PassRole', role('admin'), toTasks);
    expect(await decide(launch, admin)).toBe('ImplicitlyDenied');
    const toEc2 = { 'iam:PassedToService': 'ec2.amazonaws.com' };
    expect(
      await decide(launch, as('hangar-scale-up', 'iam:PassRole', role('ops-runner-execution'), toEc2)),
    ).toBe('ImplicitlyDenied');
    expect(launch.Statement.flatMap((s) => s.Resource)).not.toContain('');
  });
});

describe('the roles a task on an existing task definition runs with', () => {
  it('gives the task role (Hangar’s, replacing the definition’s) the runner binaries and its own secret, nothing else', async () => {
    const runner = 'hangar-runner-task';
    expect(
      await decide(
        task,
        as(runner, 's3:GetObject', 'arn:aws:s3:::hangar-binaries/actions-runner-linux-x64.tar.gz'),
      ),
    ).toBe('Allowed');
    for (const [action, resource] of [
      ['s3:PutObject', 'arn:aws:s3:::hangar-binaries/actions-runner-linux-x64.tar.gz'],
      ['ecs:RunTask', HEAVY],
      ['ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/hangar/config/github-apps`],
      ['logs:PutLogEvents', `${LOG_GROUP}:log-stream:x`],
      ['ecr:BatchGetImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/ops-runner`],
    ] as const)
      expect([action, await decide(task, as(runner, action, resource))]).toEqual([
        action,
        expect.stringMatching(/Denied$/),
      ]);
  });

  it('gives Hangar’s execution role log writes to the runner log group and no image or secret it was not told about', async () => {
    const exec = 'hangar-runner-task-execution';
    expect(await decide(execution, as(exec, 'ecr:GetAuthorizationToken', '*'))).toBe('Allowed');
    expect(
      await decide(execution, as(exec, 'logs:PutLogEvents', `${LOG_GROUP}:log-stream:family/runner/1`)),
    ).toBe('Allowed');
    for (const [action, resource] of [
      ['ecr:BatchGetImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/ops-runner`],
      ['logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/other:log-stream:x`],
      ['ssm:GetParameters', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ops/db-password`],
      ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ops-AbCdEf`],
    ] as const)
      expect([action, await decide(execution, as(exec, action, resource))]).toEqual([
        action,
        'ImplicitlyDenied',
      ]);
  });
});
