import type { LogAttributes } from '@hangar/core';

/**
 * Attribute names whose values are secrets or raw input: webhook bodies and signatures, JIT
 * configs, registration tokens, App private keys. Core and the adapters never pass them; this
 * is the second line of defence, so a future attribute with such a name cannot leak.
 */
const SECRET_KEY = /secret|signature|jit|token|private|password|credential|body|payload|authorization/i;

const MAX_DEPTH = 4;

function clean(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    // Name, message and retry hint only: a cause or stack can quote a request or a response.
    const retryable = (value as { retryable?: unknown }).retryable;
    return {
      name: value.name,
      message: value.message,
      ...(typeof retryable === 'boolean' ? { retryable } : {}),
    };
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : clean(inner, depth + 1);
  }
  return out;
}

/** A copy of `attributes` safe to log: secret-named keys replaced, errors reduced to name and message. */
export function redact(attributes: LogAttributes | undefined): Record<string, unknown> {
  if (attributes === undefined) return {};
  return clean(attributes, 0) as Record<string, unknown>;
}
