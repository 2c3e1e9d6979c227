// docs/migrating.md promises that Hangar never touches what the reference module runs, so the two
// can run side by side while jobs move over. These specs hold Hangar to it: the EC2 adapter over
// the loopback EC2 emulator with a machine the reference launched, and scale-down plus
// reconciliation (core's use cases on its twins) with the reference's machines and GitHub
// registrations — next to Hangar's own leftovers, which must go, so the runs are known to act.
import { describe, expect, it } from '@jest/globals';
import { InstanceId, PoolId, RunnerId, reconcile, scaleDown } from '../../packages/core/src/index';
import { scalerFixture } from '../../packages/core/src/testing/scaler-fixture';
import { ec2Fixture } from '../../packages/adapter-aws/src/compute/spec-fixtures';
import { convertReference } from '../migrate/convert';
import { readConfig } from '../policy-check/config';
import { readFixture } from './support/migrate-cli';

/** Launches a machine the way the reference does: CreateFleet, tagged `ghr:*`, no `hangar:*` tag. */
async function launchLikeTheReference(endpoint: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateFleet',
    Version: '2016-11-15',
    Type: 'instant',
    'LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName': 'default-action-runner',
    'LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version': '$Default',
    'LaunchTemplateConfigs.1.Overrides.1.InstanceType': 'm5.large',
    'LaunchTemplateConfigs.1.Overrides.1.SubnetId': 'subnet-a',
    'TargetCapacitySpecification.TotalTargetCapacity': '1',
    'TargetCapacitySpecification.DefaultTargetCapacityType': 'spot',
    'TagSpecification.1.ResourceType': 'instance',
    'TagSpecification.1.Tag.1.Key': 'ghr:environment',
    'TagSpecification.1.Tag.1.Value': 'default',
    'TagSpecification.1.Tag.2.Key': 'ghr:Application',
    'TagSpecification.1.Tag.2.Value': 'github-action-runner',
    'TagSpecification.1.Tag.3.Key': 'ghr:Type',
    'TagSpecification.1.Tag.3.Value': 'Org',
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(response.status).toBe(200);
}

describe('Hangar beside the reference module', () => {
  it('lists only its own machines: the EC2 adapter never sees one the reference launched', async () => {
    const fx = await ec2Fixture();
    try {
      fx.ec2.addLaunchTemplate({ name: 'default-action-runner', imageId: 'ami-0fedcba9876543210' });
      await launchLikeTheReference(fx.ec2.endpoint);
      const ours = await fx.provider.launch({
        runnerId: RunnerId('r-1'),
        poolId: PoolId('linux-x64'),
        idempotencyKey: 'r-1-1',
        capacityType: 'spot',
        secretPath: '/hangar/runners/r-1',
        owner: 'my-org',
      });
      expect(fx.ec2.instances()).toHaveLength(2);
      const listed = await fx.provider.list();
      expect(listed.map((view) => view.instanceId)).toEqual([
        ours.outcome === 'launched' ? ours.instanceId : '',
      ]);
      expect(fx.ec2.internalErrors).toEqual([]);
    } finally {
      await fx.close();
    }
  });

  it("scale-down and reconciliation leave the reference's machines and registrations alone, and still clean up Hangar's own", async () => {
    // The converted default example: its pool keeps the reference's runner_name_prefix "default_".
    const converted = convertReference(readFixture('default.tfvars.json'), {
      owner: 'my-org',
      addLabels: [],
    });
    const config = readConfig({ runner_configs: converted.inputs.runner_configs });
    if (!config.ok) throw new Error(config.problems.join('; '));
    const fx = scalerFixture(config.config.settings);
    const theirMachine = fx.ec2.addLeak(null, null, fx.clock.now());
    const ourLeak = fx.ec2.addLeak(RunnerId('ghost'), PoolId('default'), fx.clock.now());
    const registration = (id: number, name: string, status: 'online' | 'offline') =>
      fx.registry.registrations.set(id, {
        githubRunnerId: id,
        name,
        status,
        busy: false,
        labels: ['self-hosted', 'linux', 'x64', 'default', 'example'],
        scope: 'my-org',
      });
    // The reference names runners <runner_name_prefix><instance id>; Hangar <name_prefix>hgr-<runner id>.
    registration(1, 'default_i-0123456789abcdef0', 'online');
    registration(2, 'default_i-0fedcba9876543210', 'offline');
    registration(3, 'default_hgr-ghost', 'offline');
    fx.clock.advanceMinutes(30);
    await scaleDown(fx.deps, 'side-by-side');
    await reconcile(fx.deps, 'side-by-side');
    const alive = (await fx.ec2.list()).map((machine) => machine.instanceId);
    expect(alive).toEqual([theirMachine]);
    expect(alive).not.toContain(InstanceId(ourLeak));
    expect([...fx.registry.registrations.values()].map((r) => r.name).sort()).toEqual([
      'default_i-0123456789abcdef0',
      'default_i-0fedcba9876543210',
    ]);
  });
});
