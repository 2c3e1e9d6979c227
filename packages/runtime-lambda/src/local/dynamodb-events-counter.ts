import type { AwsProxyHooks, Interception } from './aws-proxy';

interface PutShape {
  Put?: { Item?: { sk?: { S?: string } } };
}

/**
 * Counts the events Hangar appended, from the DynamoDB traffic: every committed
 * TransactWriteItems carries one Put per event (sort key `e#<version>`) plus the stream head.
 */
export function countAppendedEvents(): { hooks: AwsProxyHooks; count(): number } {
  let events = 0;
  return {
    count: () => events,
    hooks: {
      intercept({ action, body }): Interception {
        if (action !== 'TransactWriteItems') return { body };
        const items = (JSON.parse(body) as { TransactItems?: PutShape[] }).TransactItems ?? [];
        const appended = items.filter((item) => item.Put?.Item?.sk?.S?.startsWith('e#')).length;
        return {
          body,
          onAnswer(status) {
            if (status === 200) events += appended;
          },
        };
      },
    },
  };
}
