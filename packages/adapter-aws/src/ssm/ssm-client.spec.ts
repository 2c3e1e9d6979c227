import { describe, expect, it } from '@jest/globals';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createSsmClient, DEFAULT_SSM_MAX_ATTEMPTS } from './ssm-client';

/** The retry mode the SDK resolved (both of its strategy classes carry `mode`). */
const modeOf = async (client: SSMClient) => ((await client.config.retryStrategy()) as { mode?: string }).mode;

describe('createSsmClient', () => {
  it('uses adaptive retry with the default bounded attempts', async () => {
    const client = createSsmClient({ region: 'us-east-1' });
    expect(await modeOf(client)).toBe('adaptive');
    expect(await client.config.maxAttempts()).toBe(DEFAULT_SSM_MAX_ATTEMPTS);
    client.destroy();
  });

  it('keeps adaptive mode even when the caller asks for another, and honours its attempt bound', async () => {
    const client = createSsmClient({ region: 'us-east-1', retryMode: 'standard', maxAttempts: 2 });
    expect(await modeOf(client)).toBe('adaptive');
    expect(await client.config.maxAttempts()).toBe(2);
    client.destroy();
  });
});
