import type { AwsProxyHooks, Interception } from './aws-proxy';
import type { DelayBook } from './sqs-driver';
import type { SimulatedClock } from './sim-clock';

interface SendEntry {
  Id?: string;
  DelaySeconds?: number;
}

/**
 * fauxqs names its queues `http://sqs.<region>.127.0.0.1:PORT/...`, a URL WHATWG parsers reject
 * (a host ending in a number must be IPv4), so the runtime's configuration would refuse it. The
 * handlers get `http://127.0.0.1:PROXY/<account>/<name>` instead and the proxy swaps it back.
 */
export function rewriteQueueUrl(body: string, aliases: ReadonlyMap<string, string>): string {
  if (aliases.size === 0 || !body.includes('QueueUrl')) return body;
  const request = JSON.parse(body) as { QueueUrl?: string };
  const target = request.QueueUrl === undefined ? undefined : aliases.get(request.QueueUrl);
  return target === undefined ? body : JSON.stringify({ ...request, QueueUrl: target });
}

/**
 * Proxy hooks that move SQS message delays from real time into simulated time: a message
 * sent with `DelaySeconds: n` is sent with no delay and its due time (now + n simulated
 * seconds) is written to the delay book, keyed by the MessageId SQS answers. The queue
 * driver holds it until the simulated clock gets there.
 */
export function simulatedSqsDelays(
  clock: SimulatedClock,
  book: DelayBook,
  aliases: ReadonlyMap<string, string> = new Map(),
): AwsProxyHooks {
  return {
    intercept({ action, body: raw }): Interception {
      const body = rewriteQueueUrl(raw, aliases);
      if (action !== 'SendMessage' && action !== 'SendMessageBatch') return { body };
      const request = JSON.parse(body) as SendEntry & { Entries?: SendEntry[] };
      const sentAt = clock.nowMs();
      const delays = new Map<string, number>();
      const entries = action === 'SendMessage' ? [request] : (request.Entries ?? []);
      for (const entry of entries) {
        if (entry.DelaySeconds && entry.DelaySeconds > 0) delays.set(entry.Id ?? '', entry.DelaySeconds);
        delete entry.DelaySeconds;
      }
      if (delays.size === 0) return { body: JSON.stringify(request) };
      return {
        body: JSON.stringify(request),
        onAnswer(status, text) {
          if (status !== 200) return;
          const answer = JSON.parse(text) as {
            MessageId?: string;
            Successful?: { Id: string; MessageId: string }[];
          };
          if (action === 'SendMessage' && answer.MessageId) {
            book.set(answer.MessageId, sentAt + (delays.get('') ?? 0) * 1000);
          }
          for (const sent of answer.Successful ?? []) {
            const delay = delays.get(sent.Id);
            if (delay !== undefined) book.set(sent.MessageId, sentAt + delay * 1000);
          }
        },
      };
    },
  };
}
