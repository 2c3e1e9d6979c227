import { ConfigurationError } from '@hangar/core';

/**
 * The webhook secrets an SSM parameter value holds. A rotation is a JSON list of strings
 * (`["<new>", "<old>"]`, current first), so no character of a secret is ever a separator;
 * any other value is one secret, as a single plain secret always was (trimmed, commas and all).
 * A value starting with `[` must be such a list: a rotation written wrongly is refused at cold
 * start rather than silently taken as one odd secret. Problems never echo the value.
 */
export function parseWebhookSecrets(value: string, parameterName: string): readonly string[] {
  const text = value.trim();
  const problem = (what: string) => new ConfigurationError([`SSM parameter ${parameterName} ${what}`]);
  if (!text.startsWith('[')) {
    if (text === '') throw problem('holds no webhook secret');
    return [text];
  }
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw problem('starts with [ but is not a JSON list of webhook secrets');
  }
  if (!Array.isArray(list)) throw problem('starts with [ but is not a JSON list of webhook secrets');
  if (list.length === 0) throw problem('holds an empty list of webhook secrets');
  if (!list.every((secret): secret is string => typeof secret === 'string' && secret !== ''))
    throw problem('holds a list of webhook secrets with an empty or non-string entry');
  return list;
}
