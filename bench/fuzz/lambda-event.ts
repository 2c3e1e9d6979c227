import type { Shape } from './cases';

export interface RawRequest {
  readonly headers: unknown;
  readonly body: unknown;
  readonly isBase64Encoded: unknown;
}

/**
 * The Lambda event for a request: an API Gateway HTTP API (payload 2.0) event, or the function
 * URL flavour of the same shape (`$default` route, a lambda-url domain). Headers, body and the
 * base64 flag are passed as given, so odd shapes reach the handler untouched.
 */
export function lambdaEvent(shape: Shape, request: RawRequest, n: number): Record<string, unknown> {
  const functionUrl = shape === 'function-url';
  const domainPrefix = functionUrl ? 'abcdefghij1234567890' : 'a1b2c3d4e5';
  const time = new Date(Date.UTC(2026, 2, 1, 10, 0, n % 60));
  return {
    version: '2.0',
    routeKey: functionUrl ? '$default' : 'POST /webhook',
    rawPath: functionUrl ? '/' : '/webhook',
    rawQueryString: '',
    headers: request.headers,
    requestContext: {
      accountId: functionUrl ? 'anonymous' : '000000000000',
      apiId: domainPrefix,
      domainName: functionUrl
        ? `${domainPrefix}.lambda-url.us-east-1.on.aws`
        : `${domainPrefix}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix,
      http: {
        method: 'POST',
        path: functionUrl ? '/' : '/webhook',
        protocol: 'HTTP/1.1',
        sourceIp: '192.30.252.1',
        userAgent: 'GitHub-Hookshot/abc1234',
      },
      requestId: `req-${n}`,
      routeKey: functionUrl ? '$default' : 'POST /webhook',
      stage: '$default',
      time: time.toUTCString(),
      timeEpoch: time.getTime(),
    },
    body: request.body,
    isBase64Encoded: request.isBase64Encoded,
  };
}
