/**
 * Faults the AWS proxy injects, each as the service itself would show it to the SDK: an error
 * answered instead of the call (throttling, 5xx), a call forwarded and its answer replaced by
 * an error (the effect happened, the caller sees a failure), or an answer held back.
 */
export type AwsFault =
  /** Not forwarded: answered with this AWS error (e.g. 400 ThrottlingException, 503 ServiceUnavailable). */
  | { readonly kind: 'error'; readonly status: number; readonly code: string }
  /** Forwarded (the effect happens), then answered with this error instead of the real answer. */
  | { readonly kind: 'lose-answer'; readonly status: number; readonly code: string }
  /** Forwarded, answered after `ms` real milliseconds. */
  | { readonly kind: 'delay'; readonly ms: number };

/** The faults queued per action (`*` for any), consumed in order. */
export class AwsFaultQueue {
  private readonly queued = new Map<string, AwsFault[]>();
  injected = 0;

  add(action: string, fault: AwsFault, times = 1): void {
    const list = this.queued.get(action) ?? [];
    for (let i = 0; i < times; i += 1) list.push(fault);
    this.queued.set(action, list);
  }

  clear(): void {
    this.queued.clear();
  }

  take(action: string): AwsFault | undefined {
    for (const key of [action, '*']) {
      const fault = this.queued.get(key)?.shift();
      if (fault) {
        this.injected += 1;
        return fault;
      }
    }
    return undefined;
  }
}

const xmlEscape = (text: string): string => text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An AWS error answer in the request's protocol: JSON protocols (DynamoDB, SQS, SSM, ECS) name
 * the error in `__type`, EC2's Query protocol and S3 answer XML — what each SDK client parses.
 */
export function awsErrorAnswer(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  requestBody: string,
  status: number,
  code: string,
): { readonly status: number; readonly headers: Record<string, string>; readonly body: string } {
  const message = `injected by the local control plane: ${code}`;
  if (typeof headers['x-amz-target'] === 'string') {
    const contentType = String(headers['content-type'] ?? 'application/x-amz-json-1.0');
    return {
      status,
      headers: { 'content-type': contentType, 'x-amzn-errortype': code },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  const xml = /(?:^|&)Action=/.test(requestBody)
    ? `<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>local</RequestID></Response>`
    : `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>local</RequestId></Error>`;
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>${xml}`,
  };
}
