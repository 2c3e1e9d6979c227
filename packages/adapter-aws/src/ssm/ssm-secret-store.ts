import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import {
  ConfigurationError,
  RunnerId,
  toIso,
  type Clock,
  type IsoTime,
  type SecretStore,
} from '@hangar/core';
import { awsErrorName, translateSsmError } from './ssm-errors';

export const DEFAULT_RUNNER_SECRET_PATH = '/hangar/runners';

/** Standard-tier parameters hold at most 4096 bytes; JIT configs can be larger. */
const STANDARD_TIER_MAX_BYTES = 4096;
/** GetParametersByPath returns at most 10 parameters per page. */
const PAGE_SIZE = 10;

export interface SsmSecretStoreConfig {
  /** Created with `createSsmClient` so throttling is retried adaptively. */
  readonly client: SSMClient;
  /** Parameter hierarchy for runner secrets (default `/hangar/runners`), like the reference `ssm_paths`. */
  readonly pathPrefix?: string;
  /** Customer-managed KMS key for the SecureStrings; AWS's `alias/aws/ssm` when absent. */
  readonly kmsKeyId?: string;
  /** Stands in for a LastModifiedDate SSM failed to report, so such a secret looks fresh, never stale. */
  readonly clock: Clock;
}

/** Checks a parameter hierarchy prefix against SSM's naming rules; returns it without a trailing slash. */
function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  const problems: string[] = [];
  if (!trimmed.startsWith('/')) problems.push(`SSM path prefix "${prefix}" must start with "/"`);
  if (/^\/(aws|ssm)/i.test(trimmed))
    problems.push(`SSM path prefix "${prefix}" must not start with /aws or /ssm`);
  if (!/^[a-zA-Z0-9_.\-/]*$/.test(trimmed))
    problems.push(`SSM path prefix "${prefix}" may contain only a-zA-Z0-9_.-/`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return trimmed;
}

/**
 * Runner secrets (JIT configs, registration tokens) as SecureString parameters, one per
 * runner at `<prefix>/<runnerId>`. SSM is only a mailbox for the machine's one read here,
 * never a message bus between Hangar's functions (the reference module's failure mode).
 */
export class SsmSecretStore implements SecretStore {
  private readonly client: SSMClient;
  private readonly prefix: string;
  private readonly kmsKeyId: string | undefined;
  private readonly clock: Clock;

  constructor(config: SsmSecretStoreConfig) {
    this.client = config.client;
    this.prefix = normalisePrefix(config.pathPrefix ?? DEFAULT_RUNNER_SECRET_PATH);
    this.kmsKeyId = config.kmsKeyId;
    this.clock = config.clock;
  }

  pathFor(runnerId: RunnerId): string {
    return `${this.prefix}/${runnerId}`;
  }

  async put(runnerId: RunnerId, value: string): Promise<void> {
    const name = this.pathFor(runnerId);
    // Advanced costs money per parameter-month, so only values that need it get it. The tier
    // is omitted (account default, Standard) otherwise rather than sent as "Standard", which
    // SSM would refuse if an earlier put of this runner had been Advanced.
    const advanced = Buffer.byteLength(value, 'utf8') > STANDARD_TIER_MAX_BYTES;
    try {
      await this.client.send(
        new PutParameterCommand({
          Name: name,
          Value: value,
          Type: 'SecureString',
          Overwrite: true,
          ...(this.kmsKeyId ? { KeyId: this.kmsKeyId } : {}),
          ...(advanced ? { Tier: 'Advanced' } : {}),
        }),
      );
    } catch (error) {
      throw translateSsmError(error, 'PutParameter', name);
    }
  }

  async get(runnerId: RunnerId): Promise<string | null> {
    const name = this.pathFor(runnerId);
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value ?? null;
    } catch (error) {
      if (awsErrorName(error) === 'ParameterNotFound') return null;
      throw translateSsmError(error, 'GetParameter', name);
    }
  }

  async delete(runnerId: RunnerId): Promise<void> {
    const name = this.pathFor(runnerId);
    try {
      await this.client.send(new DeleteParameterCommand({ Name: name }));
    } catch (error) {
      // Already gone (read and deleted by the machine, or a repeated cleanup): the goal holds.
      if (awsErrorName(error) === 'ParameterNotFound') return;
      throw translateSsmError(error, 'DeleteParameter', name);
    }
  }

  /**
   * Every runner secret directly under the prefix. Not recursive on purpose: secrets live one
   * level down, and the reconciler deletes what this returns, so parameters an operator keeps
   * in a nested path under the same prefix must never be listed.
   */
  async list(): Promise<readonly { readonly runnerId: RunnerId; readonly storedAt: IsoTime }[]> {
    const found: { runnerId: RunnerId; storedAt: IsoTime }[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new GetParametersByPathCommand({
            Path: this.prefix,
            Recursive: false,
            WithDecryption: false,
            MaxResults: PAGE_SIZE,
            NextToken: nextToken,
          }),
        );
      } catch (error) {
        throw translateSsmError(error, 'GetParametersByPath', this.prefix);
      }
      for (const parameter of page.Parameters ?? []) {
        if (!parameter.Name?.startsWith(`${this.prefix}/`)) continue;
        found.push({
          runnerId: RunnerId(parameter.Name.slice(this.prefix.length + 1)),
          storedAt: parameter.LastModifiedDate
            ? toIso(parameter.LastModifiedDate.getTime())
            : this.clock.now(),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }
}
