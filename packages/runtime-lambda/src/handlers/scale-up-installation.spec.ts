import { describe, expect, it } from '@jest/globals';
import { recordWorkflowJob } from '@hangar/core';
import { workflowJobFact } from '@hangar/core/testing/scaler-fixture';
import { createScaleUpHandler } from './scale-up';
import { captureOutput, specWorld, sqsEvent } from './spec-roots';

describe('the scale-up handler and the installation a webhook named', () => {
  it("hands the serve-job message's installation id to the GitHub clients, so a cold start looks none up", async () => {
    const world = await specWorld();
    const labels = ['self-hosted', 'linux', 'x64'];
    const fact = workflowJobFact('queued', 21, world.fixture.clock.now(), { labels, installationId: 4242 });
    await recordWorkflowJob(world.deps, fact);
    const [message] = world.fixture.scaleUpQueue.take();
    const known: [string, number][] = [];
    const root = { ...world.root, knowInstallation: (owner: string, id: number) => known.push([owner, id]) };

    await captureOutput(() =>
      createScaleUpHandler(root)(sqsEvent({ id: 'm', body: JSON.stringify(message) })),
    );

    expect(known).toEqual([[fact.owner, 4242]]);
    expect(world.fixture.ec2.launches).toHaveLength(1);
  });
});
