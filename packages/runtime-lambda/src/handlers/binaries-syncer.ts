import { syncRunnerBinaries } from '@hangar/core';
import { bindBinaries } from '../composition/bindings/binaries';
import { tracedLambdaEntry } from '../composition/traced-entry';
import type { BinariesRoot } from '../composition/roots';
import { scheduled } from './scheduled';

/** Scheduled mirror of the actions/runner release into S3: the configured builds, only what changed. */
export const createBinariesSyncerHandler = (root: BinariesRoot) =>
  scheduled(root, 'Runner binaries synced', (r) =>
    syncRunnerBinaries(r.deps, {
      includePrerelease: r.includePrerelease,
      ...(r.platforms === undefined ? {} : { platforms: r.platforms }),
    }),
  );

/** Lambda entry: `index.handler` of the binaries-syncer bundle. */
export const handler = tracedLambdaEntry('binaries-syncer', [bindBinaries], createBinariesSyncerHandler);
