import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createEventStoreClient, createEventStoreTable } from '@hangar/adapter-aws';
import { startSsmEmulator, type SsmEmulator } from '@hangar/test-support/aws/ssm';
import { unzipSync } from 'fflate';
import { invokeBundle } from './bundle-runner';
import { HANDLER_NAMES, HANDLERS, type HandlerName } from './config/environment';
import { appPrivateKey, fullEnvironment, PARAMETERS, POOLS } from './spec-fixtures';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const zipDir = join(repoRoot, 'dist', 'lambda');
const SECRET = 'bundle-spec-webhook-secret';
const CREDENTIALS = { accessKeyId: 'bundle', secretAccessKey: 'bundle' };

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** CI builds before jest; locally, build when a zip is missing or older than the sources. */
function ensureBundles(): void {
  const sources = ['core', 'adapter-aws', 'adapter-github', 'runtime-lambda'].map((p) =>
    newestSource(join(repoRoot, 'packages', p, 'src')),
  );
  const scripts = join(repoRoot, 'packages/runtime-lambda/scripts');
  for (const script of readdirSync(scripts)) sources.push(statSync(join(scripts, script)).mtimeMs);
  const stale = HANDLER_NAMES.some((name) => {
    const zip = join(zipDir, `${HANDLERS[name].bundle}.zip`);
    return !existsSync(zip) || statSync(zip).mtimeMs < Math.max(...sources);
  });
  if (!stale) return;
  const built = spawnSync(process.execPath, [join(repoRoot, 'packages/runtime-lambda/scripts/build.mjs')], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`bundle build failed: ${built.stderr}`);
}

let ssm: SsmEmulator;
let workDir: string;
let dynamoDbEndpoint: string;
const tableName = `bundles-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  ensureBundles();
  workDir = mkdtempSync(join(tmpdir(), 'hangar-bundles-'));
  for (const name of HANDLER_NAMES) {
    const files = unzipSync(readFileSync(join(zipDir, `${name}.zip`)));
    mkdirSync(join(workDir, name));
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(workDir, name, file), bytes);
  }
  ssm = await startSsmEmulator();
  const client = new SSMClient({ region: 'us-east-1', endpoint: ssm.endpoint, credentials: CREDENTIALS });
  const put = (Name: string, Value: string, Type: 'String' | 'SecureString') =>
    client.send(new PutParameterCommand({ Name, Value, Type, Overwrite: true }));
  await put(PARAMETERS.pools, JSON.stringify(POOLS), 'String');
  await put(PARAMETERS.apps, JSON.stringify([{ appId: 7, privateKey: appPrivateKey() }]), 'SecureString');
  await put(PARAMETERS.webhookSecret, SECRET, 'SecureString');
  client.destroy();
  dynamoDbEndpoint = process.env.HANGAR_TEST_DYNAMODB_ENDPOINT ?? '';
  const dynamo = createEventStoreClient({
    region: 'us-east-1',
    endpoint: dynamoDbEndpoint,
    credentials: CREDENTIALS,
  });
  await createEventStoreTable(dynamo, tableName);
  dynamo.destroy();
}, 240_000);

afterAll(async () => {
  await ssm?.stop();
});

/** The Lambda environment: AWS endpoints by the SDK's service-specific variables, nothing else. */
function lambdaEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...fullEnvironment('http://127.0.0.1:1'),
    HANGAR_TABLE_NAME: tableName,
    HANGAR_DEPLOYMENT: tableName,
    // A closed loopback port: a GitHub call fails fast instead of leaving the machine.
    HANGAR_GITHUB_API_URL: 'http://127.0.0.1:1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
    ...extra,
  };
}

const bundle = (name: HandlerName) => join(workDir, name, 'index.mjs');

function webhookEvent(body: string, signature: string, event = 'ping') {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    headers: {
      'Content-Type': 'application/json',
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-Hub-Signature-256': signature,
    },
    body,
    isBase64Encoded: false,
  };
}

describe('the built bundles', () => {
  it('each zip holds index.mjs and the chunks it imports, and nothing else', () => {
    for (const name of HANDLER_NAMES) {
      const files = readdirSync(join(workDir, name));
      const imported = new Set(['index.mjs']);
      // esbuild's chunks import each other as "./<chunk>.mjs", statically or with import().
      for (const file of files)
        for (const [, chunk] of readFileSync(join(workDir, name, file), 'utf8').matchAll(
          /(?:from\s*|import\s*\(\s*)"\.\/([\w.-]+\.mjs)"/g,
        ))
          imported.add(chunk ?? '');
      expect({ name, files: files.sort() }).toEqual({ name, files: [...imported].sort() });
    }
  });

  it('webhook answers 401 to a bad signature and 202 ignored to a signed ping, reading SSM once per container', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const good = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const { results } = await invokeBundle(
      bundle('webhook'),
      [webhookEvent(body, `sha256=${'0'.repeat(64)}`), webhookEvent(body, good)],
      lambdaEnv(),
    );
    expect(results).toEqual([
      { ok: true, value: expect.objectContaining({ statusCode: 401 }) },
      { ok: true, value: expect.objectContaining({ statusCode: 202 }) },
    ]);
    const [rejected, ignored] = results.map((r) =>
      r.ok ? JSON.parse((r.value as { body: string }).body) : null,
    );
    expect(rejected).toEqual({ status: 'rejected', reason: 'X-Hub-Signature-256 does not match' });
    expect(ignored).toMatchObject({ status: 'ignored' });
    // Pools, GitHub Apps and webhook secret, once: the second invocation reused the cold start.
    expect(ssm.calls().filter((c) => c.action === 'GetParameter')).toHaveLength(3);
  });

  it('webhook takes its credentials from the container endpoint when the environment has no keys', async () => {
    // lambda-credentials.mjs: the bundles' default chain is the environment, then this endpoint.
    let served = 0;
    const endpoint = createServer((_req, res) => {
      served += 1;
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ AccessKeyId: 'c', SecretAccessKey: 'c', Token: 't', Expiration: expiration }));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = endpoint.address() as AddressInfo;
      const {
        AWS_ACCESS_KEY_ID: _id,
        AWS_SECRET_ACCESS_KEY: _key,
        ...env
      } = lambdaEnv({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials`,
      });
      const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
      const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      const { results } = await invokeBundle(bundle('webhook'), [webhookEvent(body, signature)], env);
      expect(results).toEqual([{ ok: true, value: expect.objectContaining({ statusCode: 202 }) }]);
      expect(served).toBeGreaterThan(0);
    } finally {
      endpoint.closeAllConnections();
      await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    }
  });

  it.each(['scale-up', 'job-events'] as const)('%s returns no failures for an empty batch', async (name) => {
    const { results } = await invokeBundle(bundle(name), [{ Records: [] }], lambdaEnv());
    expect(results).toEqual([{ ok: true, value: { batchItemFailures: [] } }]);
  });

  it('scale-up lists a malformed record for redelivery', async () => {
    const record = { messageId: 'm-1', body: 'not json', attributes: { ApproximateReceiveCount: '1' } };
    const { results } = await invokeBundle(bundle('scale-up'), [{ Records: [record] }], lambdaEnv());
    expect(results).toEqual([{ ok: true, value: { batchItemFailures: [{ itemIdentifier: 'm-1' }] } }]);
  });

  it('instance-events rejects an event that is not an instance event, naming the problem', async () => {
    const { results } = await invokeBundle(
      bundle('instance-events'),
      [{ 'detail-type': 'Object Created', time: '2026-01-05T10:00:00Z', detail: {} }],
      lambdaEnv(),
    );
    expect(results).toEqual([
      {
        ok: false,
        name: 'MalformedEventError',
        message: 'Malformed instance event: detail-type Object Created is not an instance event',
      },
    ]);
  });

  it('pool tops up nothing when no pool has a schedule, traced by X-Ray only with POWERTOOLS_TRACE_ENABLED: then it sends the invocation and its AWS calls to the X-Ray daemon as subsegments', async () => {
    const daemon = createSocket('udp4');
    const segments: { readonly name: string; readonly namespace?: string }[] = [];
    // Each datagram is a JSON header line, then one segment document.
    daemon.on('message', (message) => segments.push(JSON.parse(message.toString().split('\n')[1] ?? '{}')));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const lambda = {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: workDir,
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    };
    try {
      const untraced = await invokeBundle(bundle('pool'), [{ id: 'tick-1' }], lambdaEnv(lambda));
      expect(untraced.results).toEqual([{ ok: true, value: { requested: {}, failedPools: [] } }]);
      expect(segments).toEqual([]);
      const traced = await invokeBundle(
        bundle('pool'),
        [{ id: 'tick-1' }],
        lambdaEnv({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' }),
      );
      expect(traced.results).toEqual([{ ok: true, value: { requested: {}, failedPools: [] } }]);
      // The configuration's SSM reads (cold start) and the invocation itself; with no pool
      // schedule the top-up touches nothing else.
      expect(new Set(segments.map((segment) => segment.name))).toEqual(new Set(['## pool', 'SSM']));
      expect(segments.find((s) => s.name === 'SSM')?.namespace).toBe('aws');
    } finally {
      daemon.close();
    }
  });

  it.each(['scale-down', 'reconciler', 'binaries-syncer'] as const)(
    '%s refuses to start without its required variables, naming each',
    async (name) => {
      const { results } = await invokeBundle(bundle(name), [{ id: 'tick-1' }], {
        AWS_REGION: 'us-east-1',
        HANGAR_POOLS_PARAMETER: PARAMETERS.pools,
      });
      expect(results).toEqual([
        { ok: false, name: 'ConfigurationError', message: expect.stringContaining(`${name}: `) },
      ]);
      const message = results[0] && !results[0].ok ? results[0].message : '';
      expect(message).toContain(
        name === 'binaries-syncer' ? 'HANGAR_BINARIES_BUCKET is required' : 'HANGAR_TABLE_NAME is required',
      );
    },
  );
});
