import { scaleDown } from '@hangar/core';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ScalerRoot } from '../composition/roots';
import { scheduled } from './scheduled';

/** Scheduled scale-down: idle, boot-timed-out and orphaned runners; never a busy one. */
export const createScaleDownHandler = (root: ScalerRoot) =>
  scheduled(root, 'Scale-down finished', (r, correlationId) => scaleDown(r.deps, correlationId));

/** Lambda entry: `index.handler` of the scale-down bundle. */
export const handler = tracedLambdaEntry('scale-down', [bindCompute, bindGitHub], createScaleDownHandler);
