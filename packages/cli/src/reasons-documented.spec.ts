// Every reason `hangar` can state is a metric dimension on the dashboard and has a runbook row
// saying what to do and which alarm fires (or why none does): the code list in core, the
// Terraform of the dashboard and alarms, and docs/operations.md must not drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { WAIT_REASON_CODES, type UnroutableReason } from '@hangar/core';

const root = new URL('../../../', import.meta.url);
const runbook = readFileSync(new URL('docs/operations.md', root), 'utf8');
const waitingTf = readFileSync(new URL('infra/modules/multi-runner/waiting.tf', root), 'utf8');
const UNROUTABLE = Object.keys({
  'no-matching-pool': true,
  'repository-not-allowed': true,
} satisfies Record<UnroutableReason, true>);

/** The strings of a Terraform list local (`name = [ "a", "b" ]`). */
function tfList(name: string): string[] {
  const list = new RegExp(`\\b${name}\\s*=\\s*\\[([^\\]]*)\\]`).exec(waitingTf)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}

/** The runbook's reason table: code → its cells after the code. */
function reasonRows(): Map<string, string[]> {
  const start = runbook.indexOf('| Code | The job waits because | What to do | Alarm (threshold) |');
  const rows = new Map<string, string[]>();
  if (start < 0) return rows;
  for (const line of runbook.slice(start).split('\n').slice(2)) {
    const match = /^\| `([a-z-]+)` \|(.*)\|$/.exec(line);
    if (!match) break;
    rows.set(
      match[1] ?? '',
      (match[2] ?? '').split(' | ').map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe('the reasons hangar states, as metrics, dashboard and runbook', () => {
  it('has a runbook row for every reason, with what to do and its alarm (or why none)', () => {
    const rows = reasonRows();
    expect([...rows.keys()].sort()).toEqual([...WAIT_REASON_CODES].sort());
    for (const [code, cells] of rows) {
      expect([code, cells.length, cells.every((cell) => cell.length > 0)]).toEqual([code, 3, true]);
    }
  });

  it('puts every waiting reason on the dashboard as JobsWaiting, and unroutable as JobsUnroutable', () => {
    expect(tfList('wait_reasons').sort()).toEqual(
      WAIT_REASON_CODES.filter((code) => code !== 'unroutable').sort(),
    );
    expect(tfList('unroutable_reasons').sort()).toEqual(UNROUTABLE.sort());
  });

  it('names only alarms the module defines', () => {
    const defined = new Set([
      ...[...waitingTf.matchAll(/^\s+"([a-z-]+)"\s+= \[\d+,/gm)].map(
        (match) => `<prefix>-jobs-waiting-${match[1]}`,
      ),
      '<prefix>-<pool>-oldest-wait',
      '<prefix>-jobs-unroutable-<reason>',
      '<prefix>-scale-up-errors',
      '<prefix>-scale-up-dlq-not-empty',
    ]);
    const named = [...reasonRows().values()].flatMap((cells) =>
      [...(cells[2] ?? '').matchAll(/`(<prefix>-[^`]+)`/g)].map((match) => match[1] ?? ''),
    );
    expect(named.filter((alarm) => !defined.has(alarm))).toEqual([]);
    expect(waitingTf).toMatch(/resource "aws_cloudwatch_metric_alarm" "jobs_unroutable"/);
  });
});
