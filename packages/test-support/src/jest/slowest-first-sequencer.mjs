// Jest's sequencer starts the files that took longest in the last run first, so no long file
// starts near the end while the other workers sit idle. It learns those times from its cache,
// which a fresh clone (CI) does not have: it then orders by file size, and the e2e scenarios,
// small files that run for 15-60 s each, started last (the event-store contract began at
// 266 s of a 301 s run and ran alone to the end). A file without a cached time gets the one
// recorded in spec-durations.json (refresh it with `node scripts/spec-durations.mjs` after a
// full run); a file in neither keeps jest's size order, after the timed ones.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import TestSequencer from '@jest/test-sequencer';

const recorded = JSON.parse(readFileSync(new URL('./spec-durations.json', import.meta.url), 'utf8'));

export default class SlowestFirstSequencer extends TestSequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const seconds = (test) => {
      if (test.duration != null) return test.duration / 1000;
      return recorded.seconds[relative(test.context.config.rootDir, test.path)] ?? null;
    };
    // Stable: failed files stay first (super's order), then longest known first, then the rest
    // in super's order (by size).
    const rank = new Map(sorted.map((test, i) => [test, i]));
    return [...sorted].sort((a, b) => {
      const failed = Number(this.hasFailed(b)) - Number(this.hasFailed(a));
      if (failed !== 0) return failed;
      const [sa, sb] = [seconds(a), seconds(b)];
      if (sa !== null && sb !== null && sa !== sb) return sb - sa;
      if ((sa === null) !== (sb === null)) return sa === null ? 1 : -1;
      return (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
    });
  }
}
