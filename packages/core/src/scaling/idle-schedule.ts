import type { PoolConfig } from '../config/pool-config';
import type { IsoTime } from '../shared/brand';
import { isCronActive } from './schedule';

export interface ActiveIdleWindow {
  readonly idleCount: number;
  readonly evictionStrategy: 'oldest-first' | 'newest-first';
}

/** The first of the pool's `idle_config` windows that is on at `at` (none: keep 0 idle). */
export function activeIdleWindow(pool: PoolConfig, at: IsoTime): ActiveIdleWindow {
  for (const window of pool.idleWindows) {
    if (isCronActive(window.cron, window.timeZone, at)) {
      return { idleCount: window.idleCount, evictionStrategy: window.evictionStrategy ?? 'oldest-first' };
    }
  }
  return { idleCount: 0, evictionStrategy: 'oldest-first' };
}
