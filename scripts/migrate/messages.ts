// What the converter tells its user, each line tied to the reference key it is about:
//   error   — the input is malformed; nothing is converted (exit 2)
//   warning — a setting could not be carried over, or changed meaning (exit 1)
//   note    — a setting Hangar needs no input for, or a choice the converter made (exit unaffected)
import { childPath, convert, type Json, type TfType } from '../policy-check/terraform-types';

export type Level = 'error' | 'warning' | 'note';

export interface Message {
  readonly level: Level;
  /** Where in the input, e.g. `multi_runner_config["linux"].runner_config.instance_types`. */
  readonly path: string;
  readonly text: string;
}

export interface Messages {
  readonly list: Message[];
  error(path: string, text: string): void;
  warn(path: string, text: string): void;
  note(path: string, text: string): void;
}

export function messages(): Messages {
  const list: Message[] = [];
  return {
    list,
    error: (path, text) => list.push({ level: 'error', path, text }),
    warn: (path, text) => list.push({ level: 'warning', path, text }),
    note: (path, text) => list.push({ level: 'note', path, text }),
  };
}

export const count = (all: Messages, level: Level) => all.list.filter((m) => m.level === level).length;

export type Input = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `input[key]` as Terraform would read it into `type` (the reference module's own type
 * for that input), reporting a malformed value as an error at its path. Absent or null → undefined.
 */
export function read<T extends Json>(
  all: Messages,
  input: Input,
  key: string,
  type: TfType,
  path: string,
): T | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  const problems: string[] = [];
  const converted = convert(value, type, childPath(path, key), problems);
  let malformed = false;
  for (const problem of problems) {
    const colon = problem.indexOf(': ');
    const [where, reason] = [problem.slice(0, colon), problem.slice(colon + 2)];
    // An attribute the reference type does not have: Terraform drops it, and so do we.
    if (reason.startsWith('unknown setting')) all.warn(where, `not carried over: ${reason}`);
    else {
      all.error(where, reason);
      malformed = true;
    }
  }
  return malformed || converted === null ? undefined : (converted as T);
}
