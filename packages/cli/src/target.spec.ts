import { describe, expect, it } from '@jest/globals';
import { parseJobRef } from './job-ref';
import { resolveTarget } from './target';
import { targetFromOutputs } from './terraform';

const queues = { scale_up: 'https://sqs.eu-west-1.amazonaws.com/123456789012/hangar-scale-up' };
const pools = JSON.stringify([{ id: 'linux', maxRunners: 30 }]);

describe('where hangar reads', () => {
  it('takes table, pools and region from the module outputs passed through at the top level', () => {
    expect(
      targetFromOutputs({
        table_name: { value: 'hangar-events' },
        pools_json: { value: pools },
        queues: { value: queues },
      }),
    ).toEqual({ tableName: 'hangar-events', region: 'eu-west-1', pools: [{ id: 'linux', maxRunners: 30 }] });
  });

  it('takes them from one object output too (the default example exports hangar_cli)', () => {
    const outputs = { hangar_cli: { value: { table_name: 'hangar-events', pools_json: pools, queues } } };
    expect(targetFromOutputs(outputs)).toMatchObject({ tableName: 'hangar-events', region: 'eu-west-1' });
  });

  it('says what is missing when no output names the table', () => {
    expect(targetFromOutputs({ webhook_url: { value: 'https://x' } })).toMatchObject({
      problem: expect.stringMatching(/table_name/),
    });
  });

  it('lets flags win over the environment, and asks for a region on AWS', () => {
    expect(resolveTarget({ table: 'a' }, { HANGAR_TABLE: 'b', AWS_REGION: 'us-west-2' })).toMatchObject({
      tableName: 'a',
      region: 'us-west-2',
    });
    expect(resolveTarget({ table: 'a' }, {})).toMatchObject({ problem: expect.stringMatching(/region/) });
    expect(resolveTarget({}, {})).toMatchObject({ problem: expect.stringMatching(/table/) });
  });
});

describe('job references', () => {
  it('reads a job id or an Actions job URL', () => {
    expect(parseJobRef('4711')).toBe('4711');
    expect(parseJobRef('https://github.com/acme/web/actions/runs/99/job/4711?pr=3')).toBe('4711');
    expect(parseJobRef('https://ghe.example.com/acme/web/actions/runs/99/job/4711')).toBe('4711');
    expect(parseJobRef('build')).toBeNull();
  });
});
