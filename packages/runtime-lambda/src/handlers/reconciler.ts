import { reconcile } from '@hangar/core';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ReconcilerRoot } from '../composition/roots';
import { scheduled } from './scheduled';

/** Scheduled reconciliation: stuck jobs, failed webhook deliveries, leaked machines and secrets. */
export const createReconcilerHandler = (root: ReconcilerRoot) =>
  scheduled(root, 'Reconciliation finished', (r, correlationId) => reconcile(r.deps, correlationId));

/** Lambda entry: `index.handler` of the reconciler bundle. */
export const handler = tracedLambdaEntry('reconciler', [bindCompute, bindGitHub], createReconcilerHandler);
