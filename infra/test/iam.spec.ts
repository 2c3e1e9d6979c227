import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, exampleDirs, loadModule, moduleDirs } from './support/hcl';
import { iamProblems, statementsOf, type Statement } from './support/iam';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const statements = statementsOf(multi);

describe('IAM policies of the modules', () => {
  it('finds the policy documents it checks (guards against a parser change hiding them)', () => {
    expect(statements.length).toBeGreaterThan(30);
  });

  it.each([...moduleDirs(), ...exampleDirs()].map((dir) => [dir.slice(INFRA.length + 1), dir]))(
    '%s allows no wildcard action and no mutating action on an unconditioned "*"',
    async (_name, dir) => {
      expect(iamProblems(statementsOf(await loadModule(dir)))).toEqual([]);
    },
  );

  it('flags a wildcard action and an unconditioned mutating "*" in a bad policy', () => {
    const bad: Statement[] = [
      { where: 'a', effect: 'Allow', actions: ['ec2:*'], resources: ['arn:x'], conditions: 0 },
      { where: 'b', effect: 'Allow', actions: ['ec2:TerminateInstances'], resources: ['*'], conditions: 0 },
      { where: 'c', effect: 'Allow', actions: ['ec2:DescribeInstances'], resources: ['*'], conditions: 0 },
      { where: 'd', effect: 'Deny', actions: ['s3:*'], resources: ['*'], conditions: 0 },
    ];
    expect(iamProblems(bad)).toEqual([
      'a: wildcard action ec2:*',
      'b: ec2:TerminateInstances on unconditioned "*"',
    ]);
  });

  it('allows the runner roles SSM only on parameters below runner_secret_path, under a condition', () => {
    // What the condition means is evaluated in runner-secrets-iam.spec.ts; this guards the shape.
    expect(String(multi.locals.runner_secret_arn_pattern)).toMatch(
      /:parameter\$\{var\.runner_secret_path\}\/\*$/,
    );
    const runnerDocs = ['runner', 'runner_task', 'runner_secrets'];
    const ssm = statements.filter(
      (s) =>
        runnerDocs.includes(s.where.split('/')[0] ?? '') &&
        s.effect === 'Allow' &&
        s.actions.some((a) => a.startsWith('ssm:')),
    );
    expect(ssm).toEqual([
      {
        where: 'runner_secrets/ReadAndDeleteOwnJitConfig',
        effect: 'Allow',
        actions: ['ssm:GetParameter', 'ssm:DeleteParameter'],
        resources: ['${local.runner_secret_arn_pattern}'],
        conditions: 1,
      },
    ]);
  });

  it('lets a runner terminate only itself, and the control plane only tagged runners of this deployment', () => {
    const terminate = statements.filter((s) => s.actions.includes('ec2:TerminateInstances'));
    expect(terminate.map((s) => s.where).sort()).toEqual([
      'runner/TerminateSelf',
      'runner_terminate/TerminateOwnRunnerInstances',
    ]);
    expect(terminate.find((s) => s.where === 'runner/TerminateSelf')?.resources).toEqual([
      '$${ec2:SourceInstanceARN}',
    ]);
    expect(terminate.find((s) => s.where.startsWith('runner_terminate'))?.conditions).toBe(2);
  });

  it('lets every function that launches or removes runners look a machine up by its launch key (EC2 and Fargate)', () => {
    const lookup = statements.find((s) => s.where === 'ec2_describe/DescribeRunners');
    expect(lookup?.actions).toEqual(
      expect.arrayContaining(['ec2:DescribeInstances', 'ecs:ListTasks', 'ecs:DescribeTasks']),
    );
  });

  it('requires the runner-id tag on every instance scale-up launches', () => {
    const instances = statements.find((s) => s.where === 'ec2_launch/LaunchTaggedRunnerInstances');
    expect(instances).toMatchObject({ actions: ['ec2:CreateFleet', 'ec2:RunInstances'], conditions: 1 });
  });

  it('gives every role a permissions boundary and path from the module inputs', () => {
    const roles = Object.entries(multi.resource.aws_iam_role ?? {}).map(([name, blocks]) => ({
      name,
      role: blocks[0],
    }));
    const wrong = roles
      .filter(
        ({ role }) =>
          role?.permissions_boundary !== '${var.permissions_boundary_arn}' ||
          role.path !== '${var.role_path}',
      )
      .map(({ name }) => name);
    expect(wrong).toEqual([]);
    expect(roles.length).toBeGreaterThanOrEqual(5);
  });
});
