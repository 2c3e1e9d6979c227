import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, PoolId } from '@hangar/core';
import {
  appPrivateKey,
  fullEnvironment,
  MemoryParameters,
  PARAMETERS,
  POOLS,
  validParameters,
} from '../spec-fixtures';
import { HANDLER_NAMES } from './environment';
import { configure, githubWebUrl, loadConfiguration, parseEnvironment } from './load';

const problemsOf = async (work: () => unknown): Promise<readonly string[]> => {
  try {
    await work();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('parseEnvironment', () => {
  it('reads every handler from the full environment, with the documented defaults', () => {
    for (const name of HANDLER_NAMES) expect(parseEnvironment(fullEnvironment(), name).handler).toBe(name);
    const env = parseEnvironment(fullEnvironment(), 'scale-up');
    expect(env).toMatchObject({
      tableName: 'hangar-events',
      githubApiUrl: 'https://api.github.com',
      githubTlsVerify: true,
      runnerSecretPath: '/hangar/runners',
      repositoryAllowList: [],
      jobRetryAfterMinutes: 10,
      logLevel: 'INFO',
      metricsNamespace: 'Hangar',
    });
  });

  it("reads the binaries syncer's platforms as os-arch builds, and refuses a build the release does not name", async () => {
    const read = (value?: string) =>
      parseEnvironment({ ...fullEnvironment(), HANGAR_BINARIES_PLATFORMS: value }, 'binaries-syncer');
    expect(read().binariesPlatforms).toBeUndefined();
    expect(read(' linux-x64, win-x64,linux-x64 ').binariesPlatforms).toEqual(['linux-x64', 'win-x64']);
    expect(await problemsOf(() => read('linux-amd64'))).toEqual([
      'binaries-syncer: HANGAR_BINARIES_PLATFORMS must be a comma-separated list of linux-x64, linux-arm64, win-x64, win-arm64, osx-x64 or osx-arm64',
    ]);
  });

  it('reports every missing and invalid variable at once, with what was expected', async () => {
    const problems = await problemsOf(() =>
      parseEnvironment(
        {
          HANGAR_SCALE_UP_DELAY_SECONDS: '901',
          HANGAR_REPOSITORY_ALLOW_LIST: 'acme/app, not a repo',
          POWERTOOLS_LOG_LEVEL: 'LOUD',
          HANGAR_SCALE_UP_QUEUE_URL: 'queue',
        },
        'webhook',
      ),
    );
    expect(problems).toEqual([
      'webhook: HANGAR_TABLE_NAME is required: a table name',
      'webhook: HANGAR_POOLS_PARAMETER is required: an SSM parameter name such as /hangar/config/pools',
      'webhook: HANGAR_SCALE_UP_QUEUE_URL must be an SQS queue URL',
      'webhook: HANGAR_JOB_EVENTS_QUEUE_URL is required: an SQS queue URL',
      'webhook: HANGAR_SCALE_UP_DELAY_SECONDS must be an integer from 0 to 900',
      'webhook: HANGAR_WEBHOOK_SECRET_PARAMETER is required: an SSM parameter name',
      'webhook: HANGAR_REPOSITORY_ALLOW_LIST must be comma-separated owner/repo names',
      'webhook: POWERTOOLS_LOG_LEVEL must be DEBUG, INFO, WARN or ERROR',
    ]);
  });

  it('ignores variables the handler does not read', () => {
    const env = parseEnvironment({ ...fullEnvironment(), HANGAR_ORPHAN_GRACE_MINUTES: 'soon' }, 'webhook');
    expect(env.orphanGraceMinutes).toBe(10);
  });
});

describe('loadConfiguration', () => {
  const privateKey = appPrivateKey();

  it('builds pool configs, per-kind compute settings and options from the parameters', async () => {
    const config = await configure(
      { ...fullEnvironment(), HANGAR_GITHUB_API_URL: 'https://ghes.example.com/api/v3' },
      'scale-up',
      validParameters(privateKey),
    );
    expect(config.settings.pools.map((p) => [p.id, p.compute, p.matching.mode])).toEqual([
      ['linux-x64', 'ec2', 'subset'],
      ['fargate-small', 'fargate', 'subset'],
    ]);
    expect(config.ec2Pools.get(PoolId('linux-x64'))).toMatchObject({
      launchTemplateName: 'hangar-linux-x64',
      allocationStrategy: 'price-capacity-optimized',
    });
    expect(config.fargatePools.get(PoolId('fargate-small'))).toMatchObject({
      cluster: 'hangar',
      assignPublicIp: false,
    });
    expect(config.githubApps).toEqual([{ appId: 101, privateKey }]);
    expect(config.options.githubWebUrl).toBe('https://ghes.example.com');
    expect(config.webhookSecrets).toEqual([]);
  });

  it('carries how runners register (JIT or registration token, default labels) into the pool configs', async () => {
    const [linux, fargate] = POOLS;
    const pools = [{ ...linux, jitConfig: false, defaultLabels: ['self-hosted', 'Linux', 'X64'] }, fargate];
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(pools),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 1, privateKey }]),
    });
    const config = await configure(fullEnvironment(), 'scale-up', parameters);
    expect(config.settings.pools.map((p) => [p.id, p.jitConfig, p.defaultLabels])).toEqual([
      ['linux-x64', false, ['self-hosted', 'Linux', 'X64']],
      ['fargate-small', true, undefined],
    ]);
  });

  it('gives core a repo-level pool as its organization and repository', async () => {
    const pools = [{ ...POOLS[0], level: 'repo', owner: 'platform/monorepo' }, POOLS[1]];
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(pools),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 1, privateKey }]),
    });
    const config = await configure(fullEnvironment(), 'pool', parameters);
    expect(config.settings.pools[0]).toMatchObject({ level: 'repo', owner: 'platform', repo: 'monorepo' });
    expect(config.settings.pools[1]).toMatchObject({ level: 'org', owner: 'acme' });
    expect(config.settings.pools[1]).not.toHaveProperty('repo');
  });

  it('refuses a cron the policies could not evaluate, naming the pool and field', async () => {
    const pools = [{ ...POOLS[0], poolSchedules: [{ cron: '* * * * ? *', size: 1 }] }];
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(pools),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 1, privateKey }]),
    });
    expect(await problemsOf(() => configure(fullEnvironment(), 'scale-down', parameters))).toEqual([
      'pools (SSM parameter /hangar/config/pools) at $[0].poolSchedules[0].cron: pool linux-x64: cron "* * * * ? *" month field "?": "?" is allowed only in day-of-month and day-of-week (an EventBridge expression goes in cron(...))',
    ]);
  });

  it('reads the webhook secrets of a rotation from a JSON list, current first', async () => {
    const config = await configure(
      fullEnvironment(),
      'webhook',
      validParameters(privateKey, JSON.stringify(['new,secret', 'old secret, with commas'])),
    );
    expect(config.webhookSecrets).toEqual(['new,secret', 'old secret, with commas']);
  });

  it('reads a plain parameter value as one secret, commas included (never split)', async () => {
    const config = await configure(fullEnvironment(), 'webhook', validParameters(privateKey, 'abc,def'));
    expect(config.webhookSecrets).toEqual(['abc,def']);
  });

  it.each([
    ['[]', 'holds an empty list of webhook secrets'],
    ['["ok", ""]', 'holds a list of webhook secrets with an empty or non-string entry'],
    ['["ok", 7]', 'holds a list of webhook secrets with an empty or non-string entry'],
    ['[not json', 'starts with [ but is not a JSON list of webhook secrets'],
  ])('refuses the secret parameter %s without echoing it', async (value, problem) => {
    const problems = await problemsOf(() =>
      configure(fullEnvironment(), 'webhook', validParameters(privateKey, value)),
    );
    expect(problems).toEqual([`SSM parameter /hangar/config/webhook-secret ${problem}`]);
  });

  it('reports every pools issue with its JSON path, and every other parameter problem, together', async () => {
    const pools = [{ ...POOLS[0], id: 'Bad Id', compute: { kind: 'ec2', subnetIds: [] } }, POOLS[0]];
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(pools),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 'one', privateKey: 'not a key' }]),
    });
    const problems = await problemsOf(() =>
      loadConfiguration(parseEnvironment(fullEnvironment(), 'webhook'), parameters),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^pools \(SSM parameter \/hangar\/config\/pools\) at \$\[0\]\.id: pool Bad Id: lowercase/,
        ),
        expect.stringMatching(/at \$\[0\]\.compute\.launchTemplateName: /),
        expect.stringMatching(/at \$\[0\]\.compute\.subnetIds: /),
        expect.stringMatching(
          /GitHub Apps \(SSM parameter \/hangar\/config\/github-apps\) at \$\[0\]\.appId: /,
        ),
        expect.stringMatching(
          /at \$\[0\]\.privateKey: neither a PEM private key nor the base64 encoding of one/,
        ),
        'SSM parameter /hangar/config/webhook-secret does not exist',
      ]),
    );
    expect(problems.join('\n')).not.toContain('not a key');
  });

  it('reports a duplicate pool id', async () => {
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify([POOLS[0], POOLS[0]]),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 1, privateKey }]),
    });
    const problems = await problemsOf(() => configure(fullEnvironment(), 'pool', parameters));
    expect(problems).toEqual([
      'pools (SSM parameter /hangar/config/pools) at $[1].id: duplicate pool id linux-x64',
    ]);
  });

  it('reads only the parameters the handler needs: the binaries syncer never loads the GitHub App keys', async () => {
    const parameters = validParameters(privateKey);
    const config = await configure(fullEnvironment(), 'binaries-syncer', parameters);
    expect(parameters.reads).toEqual([]);
    expect(config.githubApps).toEqual([]);
    const pool = validParameters(privateKey);
    await configure(fullEnvironment(), 'pool', pool);
    expect(pool.reads.sort()).toEqual([PARAMETERS.apps, PARAMETERS.pools].sort());
  });
});

describe('githubWebUrl', () => {
  it('maps the public API to github.com and a GHES API root to its host', () => {
    expect(githubWebUrl('https://api.github.com')).toBe('https://github.com');
    expect(githubWebUrl('https://ghes.example.com/api/v3')).toBe('https://ghes.example.com');
  });
});
