import { describe, expect, it } from '@jest/globals';
import { INFRA, REPO } from './support/hcl';
import { terraform } from './support/terraform';

describe('terraform fmt', () => {
  it('finds every .tf file under infra/ already formatted', () => {
    const run = terraform(['fmt', '-check', '-recursive', '-no-color', 'infra'], REPO);
    expect({ status: run.status, unformatted: run.stdout.trim() }).toEqual({ status: 0, unformatted: '' });
    expect(INFRA.endsWith('infra')).toBe(true);
  });
});
