import { HangarError, recordInstanceEvent, type InstanceEventOutcome } from '@hangar/core';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ScalerRoot } from '../composition/roots';
import { parseInstanceEvent, type EventBridgeInput } from './instance-event-parser';
import { invocation, type InvocationContext } from './invocation';

/** An event the rule should never have delivered; retrying it cannot help. */
export class MalformedEventError extends HangarError {
  override readonly name = 'MalformedEventError';
  readonly retryable = false;
  constructor(readonly problem: string) {
    super(`Malformed instance event: ${problem}`);
  }
}

export interface InstanceEventsResult {
  readonly outcomes: readonly InstanceEventOutcome['kind'][];
}

/**
 * EC2 state changes, spot interruption warnings, rebalance recommendations and ECS task state
 * changes. A thrown error fails the (asynchronous) invocation, so Lambda retries it and then
 * sends it to the function's on-failure destination.
 */
export function createInstanceEventsHandler(root: ScalerRoot) {
  const { deps } = root;
  return async (event: EventBridgeInput, context?: InvocationContext): Promise<InstanceEventsResult> =>
    invocation(root, { requestId: context?.awsRequestId, eventId: event?.id }, async () => {
      const parsed = parseInstanceEvent(event);
      if (parsed.kind === 'malformed') {
        deps.logger.error('Malformed instance event', {
          detailType: event?.['detail-type'],
          problem: parsed.problem,
        });
        throw new MalformedEventError(parsed.problem);
      }
      if (parsed.kind === 'no-op') {
        deps.logger.info('Instance event needs no action', { reason: parsed.reason });
        return { outcomes: [] };
      }
      const correlationId =
        event.id ?? context?.awsRequestId ?? parsed.events[0]?.instanceId ?? 'instance-event';
      const outcomes: InstanceEventOutcome['kind'][] = [];
      for (const instanceEvent of parsed.events) {
        const outcome = await recordInstanceEvent(deps, instanceEvent, correlationId);
        deps.logger.info('Instance event recorded', {
          instanceId: instanceEvent.instanceId,
          event: instanceEvent.kind,
          outcome: outcome.kind,
          ...('runnerId' in outcome ? { runnerId: outcome.runnerId } : {}),
        });
        outcomes.push(outcome.kind);
      }
      return { outcomes };
    });
}

/** Lambda entry: `index.handler` of the instance-events bundle. */
export const handler = tracedLambdaEntry(
  'instance-events',
  [bindCompute, bindGitHub],
  createInstanceEventsHandler,
);
