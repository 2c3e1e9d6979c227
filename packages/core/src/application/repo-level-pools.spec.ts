import { describe, expect, it } from '@jest/globals';
import { JobId, RunnerId } from '../shared/brand';
import {
  poolConfig,
  scalerFixture,
  scalerSettings,
  workflowJobFact,
  type ScalerFixture,
} from '../testing/scaler-fixture';
import { read } from './execute';
import { recordWorkflowJob } from './record-workflow-job';
import { runnerStreamId } from '../runner/runner.decider';
import { scaleDown } from './scale-down';
import { runnerIdForJob, runnerNameFor, scaleUp } from './scale-up';
import { topUpPools } from './top-up-pools';

// A repo-level pool (`owner = "acme/web"`, level repo) beside an org-level pool of the same
// labels: the twin registry keeps each registration's scope ("acme" or "acme/web").
const org = poolConfig({ id: 'org', ephemeral: false, minimumRunningTimeMinutes: 5 });
const web = poolConfig({
  id: 'web',
  level: 'repo',
  repo: 'web',
  namePrefix: 'web-',
  ephemeral: false,
  minimumRunningTimeMinutes: 5,
  bootTimeMinutes: 5,
});

async function serveQueued(fx: ScalerFixture): Promise<void> {
  for (const message of fx.scaleUpQueue.take()) await scaleUp(fx.deps, message, 'test');
}

const scopeOfRunner = (fx: ScalerFixture, name: string): string | undefined =>
  [...fx.registry.registrations.values()].find((registration) => registration.name === name)?.scope;

/** Top-up requests a runner per warm slot; each reusable one then registers itself (as a machine would). */
async function warmRunners(fx: ScalerFixture): Promise<string[]> {
  await topUpPools(fx.deps, 'tick');
  await serveQueued(fx);
  return [...fx.secrets.values.keys()].map((runnerId) => runnerNameFor(web, RunnerId(runnerId)));
}

describe('a repo-level pool', () => {
  it('serves its repository’s jobs with runners registered in that repository, and other repositories from the org pool', async () => {
    const fx = scalerFixture(
      scalerSettings([
        { ...org, ephemeral: true },
        { ...web, ephemeral: true },
      ]),
    );
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 1, fx.clock.now(), { repo: 'web' }));
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 2, fx.clock.now(), { repo: 'api' }));
    await serveQueued(fx);
    expect(scopeOfRunner(fx, runnerNameFor(web, runnerIdForJob(JobId(1), 1)))).toBe('acme/web');
    expect(scopeOfRunner(fx, runnerNameFor(org, runnerIdForJob(JobId(2), 1)))).toBe('acme');
  });

  it('registers its warm (top-up) runners in its repository', async () => {
    const warm = { ...web, ephemeral: true, poolSchedules: [{ cron: '* * * * * *', size: 2 }] };
    const fx = scalerFixture(scalerSettings([warm]));
    await topUpPools(fx.deps, 'tick');
    await serveQueued(fx);
    const scopes = [...fx.registry.registrations.values()].map((registration) => registration.scope);
    expect(scopes).toEqual(['acme/web', 'acme/web']);
  });

  it('keeps an online warm runner past its boot time: scale-down lists the repository’s runners', async () => {
    const warm = { ...web, poolSchedules: [{ cron: '0 0 9 * * *', size: 1 }] };
    const fx = scalerFixture(scalerSettings([warm]));
    const [name] = await warmRunners(fx);
    // The reusable runner registers itself in the repository with its token.
    fx.registry.registrations.set(7, {
      githubRunnerId: 7,
      name: name!,
      status: 'online',
      busy: false,
      labels: [],
      scope: 'acme/web',
    });
    fx.clock.advanceMinutes(web.bootTimeMinutes + 10);

    const report = await scaleDown(fx.deps, 'tick');

    expect(report).toMatchObject({ retired: 0, registrationsUnknown: [] });
    expect(fx.ec2.alive()).toBe(1);
    const runnerId = [...fx.secrets.values.keys()][0]!;
    const { state } = await read(fx.deps, fx.deps.streams.runner, runnerStreamId(runnerId));
    expect(state.status).toBe('idle');
  });

  it('deregisters an idle runner from its repository once no schedule keeps it', async () => {
    const fx = scalerFixture(scalerSettings([web]));
    await recordWorkflowJob(fx.deps, workflowJobFact('queued', 3, fx.clock.now(), { repo: 'web' }));
    await serveQueued(fx);
    const name = runnerNameFor(web, runnerIdForJob(JobId(3), 1));
    fx.registry.registrations.set(8, {
      githubRunnerId: 8,
      name,
      status: 'online',
      busy: false,
      labels: [],
      scope: 'acme/web',
    });
    fx.clock.advanceMinutes(web.minimumRunningTimeMinutes + 1);
    // The first cycle sees it online: GitHub's busy flag may lag that long, so it is kept.
    expect(await scaleDown(fx.deps, 'tick')).toMatchObject({ retired: 0 });
    fx.clock.advanceSeconds(fx.deps.options.busyFlagLagSeconds);

    expect(await scaleDown(fx.deps, 'tick')).toMatchObject({ retired: 1 });
    expect(fx.registry.registrations.size).toBe(0);
  });

  it('removes an offline registration in its repository that no live runner is behind', async () => {
    const fx = scalerFixture(scalerSettings([org, web]));
    fx.registry.registrations.set(9, {
      githubRunnerId: 9,
      name: runnerNameFor(web, RunnerId('gone')),
      status: 'offline',
      busy: false,
      labels: [],
      scope: 'acme/web',
    });

    expect(await scaleDown(fx.deps, 'tick')).toMatchObject({ registrationsRemoved: 1 });
    expect(fx.registry.registrations.size).toBe(0);
  });
});
