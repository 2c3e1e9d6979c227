// What becomes of each input of the reference module (terraform-aws-github-runner, v1 to v7 and
// the multi-runner module) in Hangar. One table serves the converter (its warnings and notes for
// keys it does not translate itself) and docs/migrating.md (the generated tables, checked by
// scripts/test/migrating-doc.spec.ts). When Hangar gains an equivalent, change the row here,
// teach the converter to carry it, and regenerate the doc (see docs/migrating.md).
import { DEPLOYMENT_KEYS } from './deployment-keys';
import { INSTANCE_KEYS } from './instance-keys';
import type { KeyStatus, ReferenceKey } from './key-types';
import { MATCHER_KEYS } from './matcher-keys';
import { RUNNER_KEYS } from './runner-keys';

export type { KeyStatus, ReferenceKey } from './key-types';

export type KeyScope = 'runner' | 'matcher' | 'deployment';

export const KEY_TABLES: Readonly<Record<KeyScope, readonly ReferenceKey[]>> = {
  runner: [...RUNNER_KEYS, ...INSTANCE_KEYS],
  matcher: MATCHER_KEYS,
  deployment: DEPLOYMENT_KEYS,
};

const byScope = new Map(
  Object.entries(KEY_TABLES).map(([scope, keys]) => [scope, new Map(keys.map((key) => [key.key, key]))]),
);

export function referenceKey(scope: KeyScope, key: string): ReferenceKey | undefined {
  return byScope.get(scope)?.get(key);
}

const isEmpty = (value: unknown) =>
  value === null ||
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );

/** True when a value sets nothing: empty, or equal to the reference default. */
export function isInert(key: ReferenceKey, value: unknown): boolean {
  return isEmpty(value) || (key.default !== undefined && stable(key.default) === stable(value));
}

const plain = (markdown: string) => markdown.replace(/`/g, '');

/** The warning (or note, for built-in keys) for a key the converter does not translate. */
export function fateMessage(key: ReferenceKey): { level: 'warning' | 'note'; message: string } {
  switch (key.status) {
    case 'planned':
      return {
        level: 'warning',
        message:
          `not carried over: Hangar has no equivalent yet (planned, issue 12: ${plain(key.hangar)}). ${plain(key.note)}`.trim(),
      };
    case 'none':
      return { level: 'warning', message: `not carried over: ${plain(key.note)}` };
    case 'built-in':
      return { level: 'note', message: `nothing to carry over: ${plain(key.note)}` };
    default:
      return { level: 'note', message: plain(key.note) };
  }
}

const STATUS_WORDS: Readonly<Record<KeyStatus, string>> = {
  mapped: '',
  partly: 'partly: ',
  'built-in': 'built in',
  planned: 'planned (issue 12): ',
  none: 'none',
};

function hangarCell(key: ReferenceKey): string {
  if (key.status === 'none' || key.status === 'built-in')
    return key.hangar === '' ? STATUS_WORDS[key.status] : `${STATUS_WORDS[key.status]} (${key.hangar})`;
  return `${STATUS_WORDS[key.status]}${key.hangar}`;
}

/** One markdown table per scope, in key order (docs/migrating.md embeds them). */
export function renderKeyTable(scope: KeyScope): string {
  const rows = [...KEY_TABLES[scope]]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((key) => `| \`${key.key}\` | ${hangarCell(key)} | ${key.note.replace(/\|/g, '\\|')} |`);
  return ['| Reference | Hangar | Notes |', '| --- | --- | --- |', ...rows].join('\n');
}
