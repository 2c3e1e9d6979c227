import { applyJobEvent, BatchedReleases, parseJobEventMessage } from '@hangar/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ScalerRoot } from '../composition/roots';
import { invocation, type InvocationContext } from './invocation';
import { malformed, processBatch } from './sqs-batch';

/** Job-events queue consumer: `in_progress`/`completed` move runners busy, idle or done. */
export function createJobEventsHandler(root: ScalerRoot) {
  const { deps } = root;
  const common = { queue: 'job-events', logger: deps.logger, metrics: deps.metrics };
  return async (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> =>
    invocation(root, { requestId: context?.awsRequestId }, async () => {
      // The batch's freed slots go back in one pool append per pool once every record is handled.
      const releases = new BatchedReleases();
      try {
        return await processBatch(event, {
          ...common,
          process: async (record) => {
            const message = parseJobEventMessage(record.body);
            if ('malformed' in message) return malformed(record, common, message.malformed);
            const outcome = await applyJobEvent(deps, message, releases.context);
            deps.logger.info('Job event applied', {
              jobId: message.jobId,
              deliveryId: message.deliveryId,
              action: message.action,
              outcome: outcome.kind,
              ...('runnerId' in outcome ? { runnerId: outcome.runnerId } : {}),
            });
            return { retry: false };
          },
        });
      } finally {
        // A failure leaves ended runners holding slots: the reconciler's release-slots step
        // gives them back (the records' redeliveries would find their runners ended).
        await releases.flush(deps, context?.awsRequestId ?? 'job-events').catch((error: unknown) => {
          deps.logger.error('Freed slots not released; the reconciler will', { error });
          deps.metrics.add('SlotReleasesFailed', 1, 'Count');
        });
      }
    });
}

/** Lambda entry: `index.handler` of the job-events bundle. */
export const handler = tracedLambdaEntry('job-events', [bindCompute, bindGitHub], createJobEventsHandler);
