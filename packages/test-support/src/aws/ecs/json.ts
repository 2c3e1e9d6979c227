import { EcsApiError } from './world';

/** Readers for the JSON request bodies; a wrong type is the SDK's own validation error. */
export function optString(params: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new EcsApiError('InvalidParameterException', `${key} must be a string`);
  return value;
}

export function optObject(
  params: Readonly<Record<string, unknown>>,
  key: string,
): Readonly<Record<string, unknown>> {
  const value = params[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EcsApiError('InvalidParameterException', `${key} must be an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

export function optArray(params: Readonly<Record<string, unknown>>, key: string): readonly unknown[] {
  const value = params[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new EcsApiError('InvalidParameterException', `${key} must be a list`);
  return value;
}

export const stringsOf = (values: readonly unknown[]): string[] =>
  values.filter((v): v is string => typeof v === 'string');

/** `[{key, value}]` or `[{name, value}]` lists as a record. */
export function pairs(values: readonly unknown[], keyField: 'key' | 'name'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of values) {
    const e = (entry ?? {}) as Record<string, unknown>;
    const key = e[keyField];
    if (typeof key !== 'string' || key === '') {
      throw new EcsApiError('InvalidParameterException', `Every ${keyField} must be a non-empty string`);
    }
    out[key] = typeof e.value === 'string' ? e.value : '';
  }
  return out;
}
