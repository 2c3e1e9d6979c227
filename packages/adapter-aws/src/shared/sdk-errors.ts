/** What every AWS SDK v3 error may carry; read defensively, since anything can be thrown. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Dropped or refused connections: the service may be fine a moment later. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

const shapeOf = (error: unknown): SdkErrorShape => (error ?? {}) as SdkErrorShape;

/** HTTP status of an SDK error, when the service answered. */
export function sdkStatusOf(error: unknown): number | undefined {
  const status = shapeOf(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The AWS error name (`ParameterNotFound`, `SlowDown`, ...), or undefined. */
export function sdkErrorName(error: unknown): string | undefined {
  const name = shapeOf(error).name;
  return typeof name === 'string' ? name : undefined;
}

/** 5xx, a service-specific retryable error name, or a dropped connection. */
export function isRetryableSdkError(error: unknown, retryableNames: ReadonlySet<string>): boolean {
  const status = sdkStatusOf(error);
  if (status !== undefined && status >= 500) return true;
  const name = sdkErrorName(error);
  if (name !== undefined && retryableNames.has(name)) return true;
  const code = shapeOf(error).code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}

/** `Name: message` for an error message (never the request, which may hold secrets). */
export function sdkErrorDetail(error: unknown): string {
  const name = sdkErrorName(error) ?? 'Error';
  const message = shapeOf(error).message;
  return typeof message === 'string' && message.length > 0 ? `${name}: ${message}` : name;
}
