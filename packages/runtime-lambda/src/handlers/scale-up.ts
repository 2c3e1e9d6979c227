import {
  parseScaleUpMessage,
  prepareScaleUpBatch,
  retryableLaunchError,
  runnerIdForJob,
  scaleUp,
  type BatchPreparation,
  type ScaleUpMessage,
} from '@hangar/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ScalerRoot } from '../composition/roots';
import { invocation, type InvocationContext } from './invocation';
import { malformed, processBatch } from './sqs-batch';

/**
 * Reserves the batch's slots first, one pool-stream append per pool (see scale-up-batch.ts in
 * core). A failure there only costs the batch its shortcut: each message then reserves alone.
 */
async function prepare(root: ScalerRoot, event: SQSEvent, requestId: string): Promise<BatchPreparation> {
  const messages: ScaleUpMessage[] = [];
  for (const record of event.Records ?? []) {
    const message = parseScaleUpMessage(record.body);
    if ('malformed' in message) continue;
    messages.push(message);
    learnInstallation(root, message);
  }
  try {
    return await prepareScaleUpBatch(root.deps, messages, runnerIdForJob, requestId);
  } catch (error) {
    root.deps.logger.warn('Batch reservation failed; reserving message by message', { error });
    return new Map();
  }
}

/**
 * The installation the job's webhook named (a serve-job from the webhook carries the job as
 * recorded), handed to the GitHub clients: a cold start then needs no installation lookup.
 */
function learnInstallation(root: ScalerRoot, message: ScaleUpMessage): void {
  if (message.kind !== 'serve-job' || !root.knowInstallation) return;
  const job = message.job?.state;
  const info = job && job.status !== 'unknown' ? job.info : null;
  if (info && info.installationId !== null) root.knowInstallation(info.owner, info.installationId);
}

/** Scale-up queue consumer: serve a job (route, reserve, launch, JIT config) or launch a requested runner. */
export function createScaleUpHandler(root: ScalerRoot) {
  const { deps } = root;
  const common = { queue: 'scale-up', logger: deps.logger, metrics: deps.metrics };
  return async (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> =>
    invocation(root, { requestId: context?.awsRequestId }, async () => {
      const batch = await prepare(root, event, context?.awsRequestId ?? 'batch');
      return processBatch(event, {
        ...common,
        process: async (record) => {
          const message = parseScaleUpMessage(record.body);
          if ('malformed' in message) return malformed(record, common, message.malformed);
          const outcome = await scaleUp(deps, message, record.messageId, batch);
          // A retryable launch failure comes back after the visibility timeout (the next attempt).
          if (outcome.kind === 'retry') throw retryableLaunchError(outcome);
          deps.logger.info('Scale-up message handled', {
            messageId: record.messageId,
            ...(message.kind === 'serve-job' ? { jobId: message.jobId } : { runnerId: message.runnerId }),
            outcome: outcome.kind,
            ...('runnerId' in outcome ? { runnerId: outcome.runnerId } : {}),
            ...('detail' in outcome ? { detail: outcome.detail } : {}),
          });
          return { retry: false };
        },
      });
    });
}

/** Lambda entry: `index.handler` of the scale-up bundle. */
export const handler = tracedLambdaEntry('scale-up', [bindCompute, bindGitHub], createScaleUpHandler);
