// Every reason the CLI can state, from histories the real use cases wrote to DynamoDB Local,
// read back through `hangar job` (text and --json).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WaitReasonCode } from '@hangar/core';
import { WAIT_SCENARIOS, scenarioFixture } from '@hangar/core/testing/wait-scenarios';
import { dropTables, freshTable, hangar } from './spec-support';

/** What the text output must say for each reason (the sentence an operator reads). */
const SAYS: Readonly<Record<WaitReasonCode, RegExp>> = {
  'awaiting-scale-up': /WAITING .* scale-up has not taken it yet/,
  'awaiting-approval': /WAITING .* deployment environment approval/,
  unroutable: /WAITING .* no pool serves its labels \[self-hosted, gpu\] for acme\/app/,
  'pool-at-max':
    /pool linux is at its maximum: 1 of 1 runners alive[\s\S]*Slots held by\n {2}j104-1 +launched +for job 104/,
  'gave-up': /scale-up stopped retrying: the job waited past the queue limit/,
  'not-queued-on-github': /GitHub says the job is no longer queued \(GitHub reports in_progress\)/,
  'capacity-unavailable':
    /no capacity for runner j109-1: attempt 1 \(spot\) failed: InsufficientInstanceCapacity on m7i\.large in subnet-0a1b2c3d, m6i\.large in subnet-0a1b2c3d; scale-up retries the launch/,
  'launch-failing':
    /launch failing \(invalid-configuration\) for runner j110-1: attempt 1 \(spot\) failed: InvalidLaunchTemplateName\.NotFoundException; runner j110-1 gave up/,
  'runner-requested': /runner j111-1 requested in pool linux; its launch has not started/,
  launching:
    /launching runner j112-1 \(attempt 2, on-demand\), after attempt 1 \(spot\) failed: InsufficientInstanceCapacity/,
  'runner-booting': /waiting for runner j113-1 \(i-ec2\d+\) to come online since 2026-/,
  'runner-idle': /runner hgr-j114-1 is online and idle; GitHub has not given it this job/,
  starting: /runner j115-1 reported starting this job/,
  'runner-took-other-job': /GitHub gave runner j116-1 another job \(999\) with the same labels/,
  'runner-interrupted': /runner j117-1's spot machine was reclaimed at 2026-/,
  'runner-ended': /runner j118-1 ended \(machine gone\) before taking the job/,
};

describe('hangar job states why a job waits, for every reason (DynamoDB Local)', () => {
  const written = new Map<WaitReasonCode, { tableName: string; jobId: string; now: string }>();

  beforeAll(async () => {
    await Promise.all(
      WAIT_SCENARIOS.map(async (scenario) => {
        const { tableName, store } = await freshTable();
        const fx = scenarioFixture(scenario, store);
        const jobId = await scenario.run(fx);
        written.set(scenario.code, { tableName, jobId, now: fx.clock.now() });
      }),
    );
  });

  afterAll(dropTables);

  for (const scenario of WAIT_SCENARIOS) {
    it(`says ${scenario.code} when ${scenario.title}`, async () => {
      const { tableName, jobId, now } = written.get(scenario.code)!;
      const text = await hangar(['job', jobId, '--now', now], tableName);
      expect(text).toMatchObject({ code: 0, err: '' });
      expect(text.out).toMatch(SAYS[scenario.code]);
      const json = await hangar(['job', jobId, '--now', now, '--json'], tableName);
      expect(JSON.parse(json.out).story.situation).toMatchObject({
        kind: 'waiting',
        reason: { code: scenario.code },
      });
    });
  }
});
