import { describe, expect, it } from '@jest/globals';
import { createPrivateKey } from 'node:crypto';
import { ConfigurationError, DependencyError } from '@hangar/core';
import { appPrivateKey, fullEnvironment, MemoryParameters, PARAMETERS, POOLS } from '../spec-fixtures';
import { appKeyPem } from './github-apps';
import { configure } from './load';

const problemsOf = async (work: () => unknown): Promise<readonly string[]> => {
  try {
    await work();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

const pem = appPrivateKey();
const base64 = Buffer.from(pem).toString('base64');
/** `base64 app.private-key.pem` wraps its output at 76 columns. */
const wrapped = base64.replace(/(.{76})/g, '$1\n');

/** The environment the module sets with github_app_parameters: no JSON Apps parameter. */
function ownParametersEnvironment(apps: readonly { appId: string; privateKey: string }[]) {
  const { HANGAR_GITHUB_APPS_PARAMETER: _json, ...env } = fullEnvironment();
  return { ...env, HANGAR_GITHUB_APP_PARAMETERS: JSON.stringify(apps) };
}

const OPS = {
  appId: '/ops/github/runner/dev/app-id',
  privateKey: 'arn:aws:ssm:us-west-2:123456789012:parameter/ops/github/runner/dev/private-key',
};

describe('appKeyPem', () => {
  it('takes a PEM as is and the base64 of a .pem file (wrapped or not) as the PEM it encodes', () => {
    expect(appKeyPem(pem)).toBe(pem);
    expect(appKeyPem(base64)).toBe(pem);
    expect(appKeyPem(wrapped)).toBe(pem);
    expect(createPrivateKey(appKeyPem(wrapped) ?? '').asymmetricKeyType).toBe('rsa');
  });

  it('refuses a value that is neither: text, base64 of something else, an empty value', () => {
    expect(appKeyPem('not a key')).toBeUndefined();
    expect(appKeyPem(Buffer.from('hello world').toString('base64'))).toBeUndefined();
    expect(appKeyPem('  ')).toBeUndefined();
  });
});

describe('GitHub Apps from the module’s JSON parameter', () => {
  it('accepts a base64-encoded key and hands the adapter the PEM', async () => {
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(POOLS),
      [PARAMETERS.apps]: JSON.stringify([{ appId: 7, privateKey: wrapped }]),
    });
    const config = await configure(fullEnvironment(), 'pool', parameters);
    expect(config.githubApps).toEqual([{ appId: 7, privateKey: pem }]);
  });
});

describe('GitHub Apps from parameters the operator created (github_app_parameters)', () => {
  it('reads each App’s id and key parameter (names or ARNs), decoding a base64 key, and not the JSON parameter', async () => {
    const second = { appId: '/ops/second/app-id', privateKey: '/ops/second/key' };
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(POOLS),
      [OPS.appId]: '123456\n',
      [OPS.privateKey]: base64,
      [second.appId]: '99',
      [second.privateKey]: pem,
    });
    const config = await configure(ownParametersEnvironment([OPS, second]), 'scale-up', parameters);
    expect(config.githubApps).toEqual([
      { appId: 123456, privateKey: pem },
      { appId: 99, privateKey: pem },
    ]);
    expect([...parameters.reads].sort()).toEqual(
      [PARAMETERS.pools, OPS.appId, OPS.privateKey, second.appId, second.privateKey].sort(),
    );
  });

  it('reports a client ID, a value that is no key and a missing parameter together, quoting no value', async () => {
    const missing = { appId: '/ops/gone/app-id', privateKey: '/ops/gone/key' };
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(POOLS),
      [OPS.appId]: 'Iv1.0123456789abcdef',
      [OPS.privateKey]: 'client-secret-0123456789',
      [missing.privateKey]: pem,
    });
    const problems = await problemsOf(() =>
      configure(ownParametersEnvironment([OPS, missing]), 'scale-up', parameters),
    );
    expect(problems).toEqual([
      'SSM parameter /ops/gone/app-id does not exist',
      `SSM parameter ${OPS.appId} (GitHub App id) is not a numeric App ID (the App's settings page shows it; a client ID such as Iv1.… is not one)`,
      `SSM parameter ${OPS.privateKey} (GitHub App private key) holds neither a PEM private key nor the base64 encoding of one`,
    ]);
    expect(problems.join('\n')).not.toMatch(/Iv1\.0123|client-secret/);
  });

  it('passes an unreachable SSM on as the reader’s retryable error', async () => {
    const parameters = new MemoryParameters({ [PARAMETERS.pools]: JSON.stringify(POOLS) });
    parameters.readParameter = () =>
      Promise.reject(new DependencyError('ssm', 'GetParameter', 'throttled', true));
    const attempt = configure(ownParametersEnvironment([OPS]), 'scale-up', parameters);
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('the GitHub App variables', () => {
  it('refuses both set, and neither set for a function that calls GitHub', async () => {
    const both = { ...fullEnvironment(), HANGAR_GITHUB_APP_PARAMETERS: JSON.stringify([OPS]) };
    expect(await problemsOf(() => configure(both, 'pool', new MemoryParameters({})))).toEqual([
      'pool: HANGAR_GITHUB_APPS_PARAMETER and HANGAR_GITHUB_APP_PARAMETERS are both set: set one (Terraform sets one of them from github_apps or github_app_parameters)',
    ]);
    const { HANGAR_GITHUB_APPS_PARAMETER: _json, ...neither } = fullEnvironment();
    const problems = await problemsOf(() => configure(neither, 'reconciler', new MemoryParameters({})));
    expect(problems).toEqual([
      expect.stringMatching(
        /^reconciler: HANGAR_GITHUB_APPS_PARAMETER or HANGAR_GITHUB_APP_PARAMETERS is required/,
      ),
    ]);
  });

  it('lets the webhook start without either (an App is optional there)', async () => {
    const { HANGAR_GITHUB_APPS_PARAMETER: _json, ...env } = fullEnvironment();
    const parameters = new MemoryParameters({
      [PARAMETERS.pools]: JSON.stringify(POOLS),
      [PARAMETERS.webhookSecret]: 'secret',
    });
    expect((await configure(env, 'webhook', parameters)).githubApps).toEqual([]);
  });

  it('refuses a list that is not App id and key parameter names or ARNs', async () => {
    for (const value of [
      '[]',
      '{"appId":"/a"}',
      JSON.stringify([{ appId: '/a' }]),
      JSON.stringify([{ appId: 'a b', privateKey: '/k' }]),
    ]) {
      const env = ownParametersEnvironment([]);
      const problems = await problemsOf(() =>
        configure({ ...env, HANGAR_GITHUB_APP_PARAMETERS: value }, 'pool', new MemoryParameters({})),
      );
      expect([value, problems]).toEqual([
        value,
        [
          'pool: HANGAR_GITHUB_APP_PARAMETERS must be a JSON list of {"appId", "privateKey"} SSM parameter names or ARNs',
        ],
      ]);
    }
  });
});
