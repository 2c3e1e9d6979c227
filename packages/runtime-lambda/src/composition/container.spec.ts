import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DynamoDbEventStore,
  Ec2FleetComputeProvider,
  FargateComputeProvider,
  S3BinaryStore,
  SsmSecretStore,
} from '@hangar/adapter-aws';
import { GitHubRunnerRegistry, GitHubWebhookRecovery } from '@hangar/adapter-github';
import { DependencyError } from '@hangar/core';
import { ManualClock } from '@hangar/core/testing';
import { ENVIRONMENT, HANDLER_NAMES } from '../config/environment';
import { configure } from '../config/load';
import { appPrivateKey, fullEnvironment, validParameters } from '../spec-fixtures';
import { bindGitHub, createContainer, createContainerWith, resolveHandlerRoot } from './index';
import type { RuntimeOverrides } from './overrides';

/** A loopback port that counts connections: resolution must open none. */
let server: Server;
let connections = 0;
let endpoint = '';
const privateKey = appPrivateKey();

beforeAll(async () => {
  server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function overrides(): RuntimeOverrides {
  const services = ['dynamodb', 'sqs', 'ssm', 's3', 'ec2', 'ecs'] as const;
  return {
    aws: {
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      endpoints: Object.fromEntries(services.map((s) => [s, endpoint])),
    },
    githubBaseUrl: endpoint,
    clock: new ManualClock('2026-01-05T10:00:00.000Z'),
  };
}

describe('the composition root', () => {
  it('resolves every handler root with real adapters and opens no connection doing so', async () => {
    for (const name of HANDLER_NAMES) {
      const config = await configure(fullEnvironment(endpoint), name, validParameters(privateKey));
      const root = resolveHandlerRoot(createContainer(config, overrides()), name);
      expect(root.config.environment.handler).toBe(name);
      if (name === 'binaries-syncer') {
        const binaries = resolveHandlerRoot(createContainer(config, overrides()), 'binaries-syncer');
        expect(binaries.deps.binaries).toBeInstanceOf(S3BinaryStore);
        continue;
      }
      const deps = resolveHandlerRoot(createContainer(config, overrides()), 'scale-up').deps;
      expect(deps.eventStore).toBeInstanceOf(DynamoDbEventStore);
      expect(deps.secrets).toBeInstanceOf(SsmSecretStore);
      expect(deps.registry).toBeInstanceOf(GitHubRunnerRegistry);
      // Only the functions that launch or list machines know their deployment's name.
      if (!ENVIRONMENT.HANGAR_DEPLOYMENT.requiredBy.includes(name)) continue;
      expect(deps.compute('ec2')).toBeInstanceOf(Ec2FleetComputeProvider);
      expect(deps.compute('fargate')).toBeInstanceOf(FargateComputeProvider);
    }
    const config = await configure(fullEnvironment(endpoint), 'reconciler', validParameters(privateKey));
    const reconciler = resolveHandlerRoot(createContainer(config, overrides()), 'reconciler');
    expect(reconciler.deps.recovery).toBeInstanceOf(GitHubWebhookRecovery);
    expect(reconciler.deps.clock.now()).toBe('2026-01-05T10:00:00.000Z');
    expect(connections).toBe(0);
  });

  it('builds one instance of each adapter per container', async () => {
    const config = await configure(fullEnvironment(endpoint), 'scale-up', validParameters(privateKey));
    const container = createContainer(config, overrides());
    const first = resolveHandlerRoot(container, 'scale-up').deps;
    const second = resolveHandlerRoot(container, 'job-events').deps;
    expect(second.eventStore).toBe(first.eventStore);
    expect(second.compute('ec2')).toBe(first.compute('ec2'));
  });

  it('gives a webhook without a GitHub App a registry that fails without retry, naming the variable', async () => {
    const env = { ...fullEnvironment(endpoint), HANGAR_GITHUB_APPS_PARAMETER: '' };
    const config = await configure(env, 'webhook', validParameters(privateKey));
    const root = resolveHandlerRoot(createContainerWith(config, overrides(), [bindGitHub]), 'webhook');
    const attempt = root.deps.registry.rerunJob('acme', 'app', '1' as never);
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    await expect(attempt).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('HANGAR_GITHUB_APPS_PARAMETER'),
    });
  });

  it('refuses compute in a function composed without it', async () => {
    const config = await configure(fullEnvironment(endpoint), 'webhook', validParameters(privateKey));
    const root = resolveHandlerRoot(createContainerWith(config, overrides(), [bindGitHub]), 'webhook');
    await expect(root.deps.compute('ec2').list()).rejects.toThrow(
      'compute (ec2) is not wired into this function',
    );
  });
});
