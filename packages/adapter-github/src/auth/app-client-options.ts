import { createAppAuth } from '@octokit/auth-app';
import { silentLog, type OctokitOptions } from './call-bounds';

/**
 * What every App client is built with, the control plane's `@octokit/rest` (octokit-factory.ts)
 * and the webhook's `@octokit/core` (request-client.ts) alike: App authentication (JWT, or an
 * installation token from the pool's cache), the API root, the `fetch`, and no logging.
 */
export function appClientOptions(o: OctokitOptions) {
  return {
    authStrategy: createAppAuth,
    auth: {
      appId: o.appId,
      createJwt: o.createJwt,
      ...(o.installationId === undefined ? {} : { installationId: o.installationId }),
      ...(o.cache ? { cache: o.cache } : {}),
      log: silentLog,
    },
    baseUrl: o.baseUrl,
    log: silentLog,
    request: o.fetch ? { fetch: o.fetch } : {},
  };
}
