import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA } from './support/hcl';
import { evaluate } from './support/terraform';

// Every cron a runner configuration holds is validated at plan time by pools-document
// (cron.tf), in the forms the runtime converts. One `terraform apply` renders all accepted
// forms; another collects every rejection at once (the precondition lists each problem).
const POOLS_DOCUMENT = join(INFRA, 'modules', 'pools-document');

function render(crons: readonly string[]) {
  const configs = {
    mixed: {
      labels: ['self-hosted'],
      owner: 'acme',
      idle_windows: crons.map((cron) => ({ cron, idle_count: 1 })),
      pool_schedules: [{ cron: crons[0], size: 2 }],
    },
  };
  return evaluate(
    `module "doc" {
  source         = ${JSON.stringify(POOLS_DOCUMENT)}
  configurations = jsondecode(${JSON.stringify(JSON.stringify(configs))})
  compute        = { mixed = { subnet_ids = ["subnet-1"] } }
}
output "json" { value = module.doc.json }
`,
    'json',
  );
}

const ACCEPTED: [string, string][] = [
  ['6 fields, seconds first (Hangar’s form)', '0 0 8 * * 1-5'],
  ['5 fields (seconds = 0)', '0 8-18 * * 1-5'],
  ['EventBridge cron(...), the reference module’s every-minute schedule', 'cron(* * * * ? *)'],
  ['EventBridge cron(...) with names and ? in day-of-month', 'cron(30 7 ? * MON-FRI *)'],
  ['EventBridge cron(...) with ? in day-of-week', 'cron(0 12 1,15 * ? *)'],
  ['steps, ranges with steps, lists and names in any case', '*/15 0-30/5 8-18 1,15 jan-JUN sun,Sat'],
  ['day-of-week 7 as Sunday', '0 0 6 * * 7'],
  ['a step from a value (a/n), as the reference module’s examples write it', 'cron(0/3 14 * * ? *)'],
];

const REJECTED: [string, string, string][] = [
  ['rate(...)', 'rate(1 minute)', 'rate(...) is a schedule rate, not a cron expression'],
  ['4 fields', '0 8 * *', 'has 4 fields; use 6 (second minute hour day-of-month month day-of-week), 5'],
  ['7 fields', '0 0 8 * * * 2027', 'has 7 fields'],
  ['EventBridge cron(...) without its year', 'cron(0 8 * * ?)', 'EventBridge cron(...) needs 6 fields'],
  ['an hour out of range', '0 0 24 * * *', 'hour field "24" is not valid: use *, */n, values 0-23'],
  ['a second out of range', '60 0 8 * * *', 'second field "60" is not valid'],
  ['a month out of range', '0 8 * 13 *', 'month field "13" is not valid: use *, */n, values 1-12 or JAN-DEC'],
  ['? outside EventBridge', '0 0 8 ? * *', 'day-of-month field "?" is not valid'],
  [
    'EventBridge day-of-week 0',
    'cron(0 8 ? * 0 *)',
    'day-of-week field "0" is not valid: use *, */n, values 1-7',
  ],
  ['an EventBridge year', 'cron(0 8 ? * 2 2027)', 'year field "2027" is not valid: year must be *'],
  ['a step of 0', '*/0 * * * *', 'minute field "*/0" is not valid'],
  ['EventBridge L', 'cron(0 8 L * ? *)', 'day-of-month field "L" is not valid'],
  ['an unknown day name', '0 0 8 * * FUNDAY', 'day-of-week field "FUNDAY" is not valid'],
  ['an empty list item', '0 0 8,,9 * * *', 'hour field "8,,9" is not valid'],
];

describe('cron expressions of runner configurations, at plan time', () => {
  let accepted: ReturnType<typeof render>;
  let rejected: string;
  beforeAll(() => {
    accepted = render(ACCEPTED.map(([, cron]) => cron));
    const result = render(REJECTED.map(([, cron]) => cron));
    rejected = result.ok ? '' : result.error.replace(/\s+/g, ' ');
  });

  it.each(ACCEPTED)('accepts %s: %s', (_what, cron) => {
    if (!accepted.ok) throw new Error(accepted.error);
    const pools = JSON.parse(String(accepted.value)) as { idleWindows: { cron: string }[] }[];
    expect(pools[0]?.idleWindows.map((w) => w.cron)).toContain(cron);
  });

  it.each(REJECTED.map(([what, cron, reason], index) => [what, cron, reason, index] as const))(
    'rejects %s (%s), naming the configuration, the field and the reason',
    (_what, cron, reason, index) => {
      expect(rejected).toContain(
        `runner_configs["mixed"].idle_windows[${index}].cron = "${cron}": ${reason}`,
      );
    },
  );

  it('names pool_schedules crons too', () => {
    expect(rejected).toContain(
      'runner_configs["mixed"].pool_schedules[0].cron = "rate(1 minute)": rate(...)',
    );
  });
});
