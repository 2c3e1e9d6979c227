import type { ScheduledEvent } from 'aws-lambda';
import type { HandlerRoots } from '../composition/roots';
import { invocation, type InvocationContext } from './invocation';

/** What EventBridge Scheduler sends; Hangar's schedules carry no input beyond the envelope. */
export type ScheduleEvent = Partial<Pick<ScheduledEvent, 'id' | 'time'>> | null | undefined;

type ScheduledRoot = HandlerRoots['scale-down' | 'pool' | 'reconciler' | 'binaries-syncer'];

/**
 * A scheduled run: call the use case once, log its report. An error is logged and rethrown,
 * so the Lambda invocation fails visibly (Errors metric, alarm) and the next tick runs again;
 * every scheduled use case is idempotent.
 */
export function scheduled<Root extends ScheduledRoot, Report>(
  root: Root,
  finished: string,
  run: (root: Root, correlationId: string) => Promise<Report>,
) {
  return async (event?: ScheduleEvent, context?: InvocationContext): Promise<Report> => {
    const correlationId = event?.id ?? context?.awsRequestId ?? `schedule-${Date.now()}`;
    return invocation(root, { requestId: context?.awsRequestId, correlationId }, async () => {
      const logger = root.deps.logger;
      try {
        const report = await run(root, correlationId);
        logger.info(finished, { report });
        return report;
      } catch (error) {
        logger.error('Scheduled run failed', { error });
        throw error;
      }
    });
  };
}
