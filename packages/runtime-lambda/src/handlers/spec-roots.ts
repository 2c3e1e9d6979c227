import { createHmac } from 'node:crypto';
import type { ReconcileDeps } from '@hangar/core';
import { scalerFixture, type ScalerFixture } from '@hangar/core/testing/scaler-fixture';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { configure, type RuntimeConfiguration } from '../config/load';
import type { ReconcilerRoot, WebhookRoot } from '../composition/roots';
import { Observability } from '../observability/observability';
import { appPrivateKey, fullEnvironment, validParameters } from '../spec-fixtures';

export const SECRET = 'handler-spec-webhook-secret';
const privateKey = appPrivateKey();

export interface SpecWorld {
  readonly fixture: ScalerFixture;
  readonly config: RuntimeConfiguration;
  /** Every root's deps: in-memory twins, logged and measured through Powertools. */
  readonly deps: ReconcileDeps;
  readonly webhookRoot: WebhookRoot;
  readonly root: ReconcilerRoot;
}

/** Handler roots over core's in-memory twins, with the real Observability (Powertools). */
export async function specWorld(): Promise<SpecWorld> {
  const config = await configure(fullEnvironment(), 'reconciler', validParameters(privateKey, SECRET));
  const fixture = scalerFixture(config.settings);
  const observability = new Observability({
    serviceName: 'hangar-spec',
    logLevel: 'DEBUG',
    metricsNamespace: 'Spec',
  });
  const deps: ReconcileDeps = {
    ...fixture.deps,
    logger: observability.logger,
    metrics: observability.metrics,
  };
  const base = { config, observability, afterInvocation: () => undefined };
  return {
    fixture,
    config,
    deps,
    webhookRoot: { ...base, deps, webhookSecrets: [SECRET] },
    root: { ...base, deps },
  };
}

export function workflowJobBody(action: string, jobId: number, labels: readonly string[]): string {
  return JSON.stringify({
    action,
    workflow_job: {
      id: jobId,
      run_id: 9000 + jobId,
      run_attempt: 1,
      workflow_name: 'ci',
      labels,
      created_at: '2026-01-05T09:00:00Z',
      started_at: '2026-01-05T09:00:00Z',
      completed_at: null,
      runner_name: null,
      runner_id: null,
      conclusion: null,
    },
    repository: { name: 'app', owner: { login: 'acme' } },
    installation: { id: 42 },
  });
}

export const sign = (body: string, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** An API Gateway HTTP API v2 / function URL event. */
export function httpEvent(
  body: string,
  headers: Record<string, string>,
  options: { readonly base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers,
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
  };
}

export function sqsEvent(...records: readonly { readonly id: string; readonly body: string }[]): SQSEvent {
  return {
    Records: records.map(({ id, body }) => ({
      messageId: id,
      receiptHandle: `rh-${id}`,
      body,
      attributes: { ApproximateReceiveCount: '1' } as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:hangar-scale-up',
      awsRegion: 'us-east-1',
    })),
  };
}

/** Collects what is written to stdout and stderr while `work` runs (Powertools logs, EMF metrics). */
export async function captureOutput<T>(
  work: () => Promise<T>,
): Promise<{ readonly value: T; readonly output: string }> {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  let output = '';
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array) => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof stream.write;
  try {
    const value = await work();
    return { value, output };
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
  }
}
