// An esbuild plugin that gives the bundled AWS SDK clients the credential providers Lambda uses,
// and only those.
//
// Every SDK client's Node runtime config takes its default credentials from
// `@aws-sdk/credential-provider-node`: a chain of environment, SSO, INI files, process,
// web identity, container and instance metadata, which brings the STS, SSO-OIDC and sign-in
// clients along (~190 KiB before compression, ~40 KiB of the webhook's zip). On Lambda, the
// function's role reaches the code as environment variables (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), or, where the runtime serves them instead, from
// the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI). The bundles run
// nowhere else, so their default chain is those two; code run from source (tests, the local
// control plane, the CLI) keeps the SDK's full chain. A client given explicit credentials
// never consults either.

import { dirname } from 'node:path';

const NAMESPACE = 'hangar-lambda-credentials';

// Environment first, then the container endpoint; the error reported is the one of the source
// that was configured. Memoised and refreshed by the client, as the full chain is.
const SOURCE = `
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
export const defaultProvider = (init = {}) => {
  const environment = fromEnv(init);
  // fromHttp throws when constructed without an endpoint variable: made when first needed.
  let container;
  return async (properties) => {
    try {
      return await environment(properties);
    } catch (error) {
      const served = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
      if (served === undefined) throw error;
      container ??= fromHttp(init);
      return container(properties);
    }
  };
};
`;

export const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if (args.pluginData === NAMESPACE) return undefined;
      // Resolved where the SDK would resolve it, so the providers it depends on are the
      // versions the lockfile pins for it.
      const real = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: NAMESPACE,
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: SOURCE,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
