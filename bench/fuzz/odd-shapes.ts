import type { OddShape, Shape } from './cases';
import { lambdaEvent, type RawRequest } from './lambda-event';

/** The signature header's name as the request spells it. */
const signatureName = (headers: Record<string, string>) =>
  Object.keys(headers).find((name) => name.toLowerCase() === 'x-hub-signature-256') ?? 'x-hub-signature-256';

/**
 * A signed, otherwise valid request given a shape API Gateway never produces: what a direct
 * invoke, a misconfigured integration or a hand-built test event might hand the handler.
 */
export function oddShape(odd: OddShape, shape: Shape, request: RawRequest, n: number): unknown {
  const headers = { ...(request.headers as Record<string, string>) };
  const sig = signatureName(headers);
  const withHeaders = (h: unknown) => lambdaEvent(shape, { ...request, headers: h }, n);
  switch (odd) {
    case 'header-array':
      return withHeaders({ ...headers, [sig]: [headers[sig]] });
    case 'header-number':
      return withHeaders({ ...headers, [sig]: 12345 });
    case 'header-null':
      return withHeaders({ ...headers, 'x-github-delivery': null });
    case 'header-object':
      return withHeaders({ ...headers, 'x-github-event': { value: 'workflow_job' } });
    case 'duplicate-header-case':
      return withHeaders({ ...headers, [sig.toUpperCase()]: `sha256=${'1'.repeat(64)}` });
    case 'missing-event-header': {
      const copy = Object.fromEntries(
        Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'x-github-event'),
      );
      return withHeaders(copy);
    }
    case 'missing-delivery-header': {
      const copy = Object.fromEntries(
        Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'x-github-delivery'),
      );
      return withHeaders(copy);
    }
    case 'null-body':
      return lambdaEvent(shape, { ...request, body: null }, n);
    case 'body-object':
      return lambdaEvent(shape, { ...request, body: JSON.parse(String(request.body)) as unknown }, n);
    case 'body-number':
      return lambdaEvent(shape, { ...request, body: 42 }, n);
    case 'headers-string':
      return withHeaders('x-github-event: workflow_job');
    case 'headers-null':
      return withHeaders(null);
    case 'base64-flag-string':
      return lambdaEvent(shape, { ...request, isBase64Encoded: 'false' }, n);
    case 'event-null':
      return null;
    case 'event-array':
      return [lambdaEvent(shape, request, n)];
    case 'event-string':
      return JSON.stringify(lambdaEvent(shape, request, n));
  }
}
