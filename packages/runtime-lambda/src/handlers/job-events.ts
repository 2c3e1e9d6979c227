import { applyJobEvent, parseJobEventMessage } from '@hangar/core';
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
    invocation(root, { requestId: context?.awsRequestId }, () =>
      processBatch(event, {
        ...common,
        process: async (record) => {
          const message = parseJobEventMessage(record.body);
          if ('malformed' in message) return malformed(record, common, message.malformed);
          const outcome = await applyJobEvent(deps, message);
          deps.logger.info('Job event applied', {
            jobId: message.jobId,
            deliveryId: message.deliveryId,
            action: message.action,
            outcome: outcome.kind,
            ...('runnerId' in outcome ? { runnerId: outcome.runnerId } : {}),
          });
          return { retry: false };
        },
      }),
    );
}

/** Lambda entry: `index.handler` of the job-events bundle. */
export const handler = tracedLambdaEntry('job-events', [bindCompute, bindGitHub], createJobEventsHandler);
