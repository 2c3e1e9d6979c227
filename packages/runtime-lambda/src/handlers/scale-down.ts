import { scaleDown, type IsoTime } from '@hangar/core';
import { bindCompute } from '../composition/bindings/compute';
import { bindGitHub } from '../composition/bindings/github';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { ReconcilerRoot } from '../composition/roots';
import { scheduled } from './scheduled';

/** Scheduled scale-down: idle, boot-timed-out and orphaned runners; never a busy one. */
export const createScaleDownHandler = (root: ReconcilerRoot) => {
  // This process's memory of when it last listed every GitHub scope (orphan detection): a
  // cold start remembers nothing and lists them all; a warm one lists only where a pool's
  // runners need it, and everything again every ORPHAN_LISTING_EVERY_MINUTES.
  let registrationsListedAt: IsoTime | null = null;
  return scheduled(root, 'Scale-down finished', async (r, correlationId) => {
    const report = await scaleDown(r.deps, correlationId, { registrationsListedAt });
    registrationsListedAt = report.registrationsListedAt;
    return report;
  });
};

/** Lambda entry: `index.handler` of the scale-down bundle. */
export const handler = tracedLambdaEntry('scale-down', [bindCompute, bindGitHub], createScaleDownHandler);
