/**
 * A stateful fake GitHub (REST subset + signed `workflow_job` webhooks) on loopback, for
 * adapter tests, end-to-end harnesses and benchmarks. See `startFakeGitHub`.
 */
export { createAppPrivateKey, startFakeGitHub } from './fake-github';
export type { FakeApp, FakeGitHub, FakeGitHubOptions, WebhookControls } from './handle';
export type { CallCounts } from './calls';
export type { FaultSpec } from './faults';
export type { QueueJobOptions } from './jobs';
export type { RateLimitOptions } from './rate-limit';
export type { AssignmentMode, TickResult } from './simulation';
export type { SimEvent } from './sim-events';
export type { DeliveryEffect, DeliveryOverride, DeliveryRule, HeldDelivery } from './webhooks';
export { decodeJitConfig, encodeJitConfig, type JitConfig } from './jit-config';
export { signatures as webhookSignatures } from './webhook-sender';
export { assetBytes as runnerAssetBytes, DEFAULT_RELEASES } from './releases';
export type {
  DeliveryRecord,
  JobConclusion,
  JobRecord,
  JobStatus,
  LabelRecord,
  ReleaseSpec,
  RunnerRecord,
  RunnerScope,
  RunRecord,
  WorkflowJobAction,
} from './types';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './webhook-receiver';
