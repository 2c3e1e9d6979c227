import { gzipSync } from 'node:zlib';
import type { FuzzCase, JobSpec } from './cases';
import { lambdaEvent, type RawRequest } from './lambda-event';
import { applyMutation } from './mutations';
import { oddShape } from './odd-shapes';
import { deliveryHeaders, signature, workflowJobPayload } from './payload';

/** What the handler must do with an input. */
export type Expectation =
  /** A valid delivery: 2xx (or 503 when a dependency failure was injected). */
  | 'accepted'
  /** An exact repeat of a delivery answered 2xx: 2xx, and no new record. */
  | 'replay'
  /** Invalid: 4xx, and no DynamoDB write nor SQS send. */
  | 'rejected'
  /** Valid signature, content maybe valid (a re-signed mutation, a BOM): 2xx or a 4xx with no write. */
  | 'either'
  /** A verified event Hangar does not handle (ping, push): 2xx, and no write. */
  | 'ignored';

export interface Materialized {
  readonly event: unknown;
  readonly expect: Expectation;
  /** Set for accepted deliveries, so later replays can repeat them byte for byte. */
  readonly replayable?: RawRequest;
}

export interface FuzzContext {
  readonly secret: string;
  /** Accepted deliveries so far (bounded), for replays. */
  readonly accepted: RawRequest[];
  n: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

function signedJob(ctx: FuzzContext, job: JobSpec, body: Buffer | string) {
  const delivery = `fuzz-${ctx.n}-${job.jobId}`;
  return deliveryHeaders('workflow_job', delivery, signature(body, ctx.secret), job.headerCase);
}

/** Turns a generated descriptor into the Lambda event the handler gets, and what it must answer. */
export function materialize(input: FuzzCase, ctx: FuzzContext): Materialized {
  ctx.n += 1;
  switch (input.kind) {
    case 'valid': {
      const body = JSON.stringify(workflowJobPayload(input.job));
      const request = { headers: signedJob(ctx, input.job, body), body, isBase64Encoded: false };
      return { event: lambdaEvent(input.job.shape, request, ctx.n), expect: 'accepted', replayable: request };
    }
    case 'replay': {
      const earlier = ctx.accepted[input.pick % Math.max(1, ctx.accepted.length)];
      // Nothing accepted yet: a fresh valid delivery instead.
      if (!earlier) return materialize({ kind: 'valid', job: defaultJob(input.pick), fault: null }, ctx);
      return { event: lambdaEvent(input.shape, earlier, ctx.n), expect: 'replay' };
    }
    case 'other-event': {
      const body = JSON.stringify({
        zen: 'Keep it logically awesome.',
        hook_id: 1,
        ...workflowJobPayload(input.job),
      });
      const headers = deliveryHeaders(
        input.event,
        `fuzz-${ctx.n}`,
        signature(body, ctx.secret),
        input.job.headerCase,
      );
      return {
        event: lambdaEvent(input.job.shape, { headers, body, isBase64Encoded: false }, ctx.n),
        expect: input.event === '' ? 'rejected' : 'ignored',
      };
    }
    case 'forged':
      return {
        event: lambdaEvent(input.job.shape, forged(ctx, input.job, input.forgery), ctx.n),
        expect: 'rejected',
      };
    case 'mutated': {
      const original = JSON.stringify(workflowJobPayload(input.job));
      const body = applyMutation(original, input.mutation);
      const unchanged = body.equals(Buffer.from(original));
      const sig = signature(input.resigned ? body : original, ctx.secret);
      const headers = deliveryHeaders('workflow_job', `fuzz-${ctx.n}`, sig, input.job.headerCase);
      const text = body.toString('utf8');
      const binary = !Buffer.from(text, 'utf8').equals(body);
      const request = { headers, body: binary ? body.toString('base64') : text, isBase64Encoded: binary };
      const expect = input.resigned || unchanged ? 'either' : 'rejected';
      return { event: lambdaEvent(input.job.shape, request, ctx.n), expect };
    }
    case 'oversized':
      return { event: lambdaEvent('api-gateway', oversized(ctx, input), ctx.n), expect: 'rejected' };
    case 'encoding':
      return encoded(ctx, input.job, input.encoding);
    case 'odd-shape': {
      const body = JSON.stringify(workflowJobPayload(input.job));
      const request = { headers: signedJob(ctx, input.job, body), body, isBase64Encoded: false };
      return { event: oddShape(input.odd, input.job.shape, request, ctx.n), expect: 'rejected' };
    }
  }
}

function defaultJob(pick: number): JobSpec {
  return {
    jobId: 1 + (pick % 2_000),
    action: 'queued',
    labels: 'routable',
    runAttempt: 1,
    headerCase: 'lower',
    shape: 'api-gateway',
  };
}

function forged(ctx: FuzzContext, job: JobSpec, forgery: string): RawRequest {
  const body = JSON.stringify(workflowJobPayload(job));
  const hex = (seed: number) => Buffer.alloc(32, seed % 256).toString('hex');
  const sig: Record<string, string | null> = {
    'wrong-secret': signature(body, `${ctx.secret}x`),
    'secret-fragment': signature(body, ctx.secret.slice(0, Math.max(1, Math.floor(ctx.secret.length / 2)))),
    'random-hex': `sha256=${hex(ctx.n)}`,
    'sha1-only': null,
    missing: null,
    empty: '',
    'no-prefix': signature(body, ctx.secret).slice('sha256='.length),
    'short-hex': signature(body, ctx.secret).slice(0, 40),
    'other-body': signature(`${body} `, ctx.secret),
  };
  const headers = deliveryHeaders('workflow_job', `fuzz-${ctx.n}`, sig[forgery] ?? null, job.headerCase);
  if (forgery === 'sha1-only') headers['X-Hub-Signature'] = `sha1=${'0'.repeat(40)}`;
  return { headers, body, isBase64Encoded: false };
}

function oversized(ctx: FuzzContext, input: Extract<FuzzCase, { kind: 'oversized' }>): RawRequest {
  const payload = workflowJobPayload(defaultJob(ctx.n));
  const filler = 'x'.repeat(MAX_BODY_BYTES + input.extraBytes);
  const body = JSON.stringify({ ...payload, filler });
  const sig = input.signed ? signature(body, ctx.secret) : `sha256=${'0'.repeat(64)}`;
  const headers = deliveryHeaders('workflow_job', `fuzz-${ctx.n}`, sig, 'lower');
  return input.base64
    ? { headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
    : { headers, body, isBase64Encoded: false };
}

function encoded(ctx: FuzzContext, job: JobSpec, encoding: string): Materialized {
  const text = JSON.stringify(workflowJobPayload(job));
  const build = (bytes: Buffer, asBase64: boolean, flag: boolean, contentType?: string, extra = {}) => {
    const headers: Record<string, string> = { ...signedJob(ctx, job, bytes), ...extra };
    if (contentType)
      for (const name of ['Content-Type', 'content-type']) if (name in headers) headers[name] = contentType;
    const request = {
      headers,
      body: asBase64 ? bytes.toString('base64') : bytes.toString('utf8'),
      isBase64Encoded: flag,
    };
    return lambdaEvent(job.shape, request, ctx.n);
  };
  const utf8 = Buffer.from(text, 'utf8');
  switch (encoding) {
    case 'base64-flag-true-on-text':
      return { event: build(utf8, false, true), expect: 'rejected' };
    case 'base64-flag-false-on-base64':
      return { event: build(utf8, true, false), expect: 'rejected' };
    case 'invalid-utf8': {
      const bytes = Buffer.concat([utf8.subarray(0, 20), Buffer.from([0xff, 0xfe, 0xc0]), utf8.subarray(20)]);
      return { event: build(bytes, true, true), expect: 'rejected' };
    }
    case 'bom':
      return {
        event: build(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), true, true),
        expect: 'either',
      };
    case 'gzip':
      return {
        event: build(gzipSync(utf8), true, true, undefined, { 'content-encoding': 'gzip' }),
        expect: 'rejected',
      };
    case 'utf16':
      return { event: build(Buffer.from(text, 'utf16le'), true, true), expect: 'rejected' };
    case 'content-type-text':
      return { event: build(utf8, false, false, 'text/plain'), expect: 'rejected' };
    default:
      return { event: build(utf8, false, false, 'application/x-www-form-urlencoded'), expect: 'rejected' };
  }
}
