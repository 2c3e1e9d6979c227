import { topUpPools } from '@hangar/core';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ScalerRoot } from '../composition/roots';
import { scheduled } from './scheduled';

/** Scheduled pool top-up to the size of each pool's active schedule. */
export const createPoolHandler = (root: ScalerRoot) =>
  scheduled(root, 'Pool top-up finished', (r, correlationId) => topUpPools(r.deps, correlationId));

/** Lambda entry: `index.handler` of the pool bundle. */
export const handler = tracedLambdaEntry('pool', [bindCompute, bindGitHub], createPoolHandler);
