import { S3BinaryStore } from '@hangar/adapter-aws';
import { GitHubRunnerReleases } from '@hangar/adapter-github';
import { toMillis } from '@hangar/core';
import type { Container } from 'inversify';
import { requireSetting } from '../../config/load';
import { s3Client } from '../aws-clients';
import { TOKENS } from '../tokens';

/** The runner binaries mirror: actions/runner releases into S3. */
export function bindBinaries(container: Container): void {
  container
    .bind(TOKENS.s3Client)
    .toDynamicValue((ctx) => s3Client(ctx.get(TOKENS.overrides)))
    .inSingletonScope();
  container
    .bind(TOKENS.binaries)
    .toDynamicValue(
      (ctx) =>
        new S3BinaryStore({
          client: ctx.get(TOKENS.s3Client),
          bucket: requireSetting(ctx.get(TOKENS.configuration).environment, 'binariesBucket'),
        }),
    )
    .inSingletonScope();
  container
    .bind(TOKENS.releases)
    .toDynamicValue((ctx) => {
      const overrides = ctx.get(TOKENS.overrides);
      const clock = ctx.get(TOKENS.clock);
      // actions/runner is published on GitHub.com, also for GHES users: not HANGAR_GITHUB_API_URL.
      // A local stand-in for GitHub also serves the downloads, from its own origin only.
      const local = overrides.releasesBaseUrl;
      return new GitHubRunnerReleases({
        ...(local === undefined ? {} : { baseUrl: local, downloadOrigins: [new URL(local).origin] }),
        now: () => toMillis(clock.now()),
      });
    })
    .inSingletonScope();
  container
    .bind(TOKENS.binariesDeps)
    .toDynamicValue((ctx) => {
      const observability = ctx.get(TOKENS.observability);
      return {
        releases: ctx.get(TOKENS.releases),
        binaries: ctx.get(TOKENS.binaries),
        logger: observability.logger,
        metrics: observability.metrics,
      };
    })
    .inSingletonScope();
}
