/**
 * The fake's `encoded_jit_config`. GitHub's real one is base64 of a JSON object whose keys are
 * the runner's config files (`.runner`, `.credentials`, `.credentials_rsaparams`), each itself
 * base64. The fake keeps that outer shape so code that only passes the blob along sees
 * something realistic, and puts a secret in `.credentials_rsaparams` so that only a config the
 * fake issued can "boot" a runner (`connectRunner`).
 */
export interface JitConfig {
  readonly runnerId: number;
  readonly runnerName: string;
  /** Runner group id (GitHub's `PoolId`). */
  readonly groupId: number;
  readonly serverUrl: string;
  readonly workFolder: string;
  readonly secret: string;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const unb64 = (value: unknown): unknown =>
  typeof value === 'string' ? JSON.parse(Buffer.from(value, 'base64').toString('utf8')) : undefined;

/** Encodes a JIT config the way the fake hands it out. */
export function encodeJitConfig(config: JitConfig): string {
  return b64({
    '.runner': b64({
      AgentId: config.runnerId,
      AgentName: config.runnerName,
      PoolId: config.groupId,
      ServerUrl: config.serverUrl,
      GitHubUrl: config.serverUrl,
      WorkFolder: config.workFolder,
      Ephemeral: true,
    }),
    '.credentials': b64({ Scheme: 'OAuth', Data: { clientId: `fake-${config.runnerId}` } }),
    '.credentials_rsaparams': b64({ fakeSecret: config.secret }),
  });
}

/** Decodes a config issued by the fake; throws on anything else. */
export function decodeJitConfig(encoded: string): JitConfig {
  try {
    const files = unb64(encoded) as Record<string, unknown>;
    const runner = unb64(files['.runner']) as Record<string, unknown>;
    const params = unb64(files['.credentials_rsaparams']) as Record<string, unknown>;
    const config: JitConfig = {
      runnerId: Number(runner.AgentId),
      runnerName: String(runner.AgentName),
      groupId: Number(runner.PoolId),
      serverUrl: String(runner.ServerUrl),
      workFolder: String(runner.WorkFolder),
      secret: String(params.fakeSecret),
    };
    if (!Number.isSafeInteger(config.runnerId) || typeof params.fakeSecret !== 'string')
      throw new Error('fields');
    return config;
  } catch (cause) {
    throw new Error('Not a JIT config issued by the fake GitHub', { cause });
  }
}
