import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  type SSMClient,
  type Tag,
} from '@aws-sdk/client-ssm';
import {
  ConfigurationError,
  RunnerId,
  toIso,
  type Clock,
  type IsoTime,
  type RunnerSecretRef,
  type SecretReader,
  type SecretStore,
} from '@hangar/core';
import { SECRET_PRINCIPAL_TAG, secretPrincipal, type RunnerRoleIds } from './secret-principal';
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
  /** The runner roles, to bind each secret to its machine's identity (needed by `put` only). */
  readonly runnerRoleIds?: RunnerRoleIds;
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
 * runner at `<prefix>/<runnerId>.<suffix>` (the suffix is unguessable; runners requested
 * before it existed use `<prefix>/<runnerId>`), tagged with the one machine identity IAM lets
 * read and delete it. SSM is only a mailbox for the machine's one read here, never a message
 * bus between Hangar's functions (the reference module's failure mode).
 */
export class SsmSecretStore implements SecretStore {
  private readonly client: SSMClient;
  private readonly prefix: string;
  private readonly kmsKeyId: string | undefined;
  private readonly clock: Clock;
  private readonly roleIds: RunnerRoleIds;

  constructor(config: SsmSecretStoreConfig) {
    this.client = config.client;
    this.prefix = normalisePrefix(config.pathPrefix ?? DEFAULT_RUNNER_SECRET_PATH);
    this.kmsKeyId = config.kmsKeyId;
    this.clock = config.clock;
    this.roleIds = config.runnerRoleIds ?? {};
  }

  pathFor(ref: RunnerSecretRef): string {
    // list() maps a name back at its last "."; a runner id with one would be misread there.
    if (ref.runnerId.includes('.') || ref.runnerId.includes('/'))
      throw new Error(`runner id ${ref.runnerId} cannot name a secret (it contains "." or "/")`);
    return `${this.prefix}/${ref.runnerId}${ref.suffix === null ? '' : `.${ref.suffix}`}`;
  }

  /**
   * Creates the parameter with its principal tag in one call. AWS refuses Tags together with
   * Overwrite, so a retried issue (the parameter exists) first re-binds the tag to this machine
   * and only then replaces the value: a new value is never readable by an earlier machine.
   */
  async put(ref: RunnerSecretRef, value: string, reader: SecretReader): Promise<void> {
    const name = this.pathFor(ref);
    const tag = { Key: SECRET_PRINCIPAL_TAG, Value: secretPrincipal(this.roleIds, reader) };
    // Twice at most: a parameter that existed at the first create may be gone when it is
    // re-tagged (its machine read and deleted it), and is then simply created again.
    for (let attempt = 1; ; attempt += 1) {
      if (await this.createTagged(name, value, tag)) return;
      if (await this.retag(name, tag, attempt < 2)) break;
    }
    try {
      await this.client.send(new PutParameterCommand({ ...this.parameter(name, value), Overwrite: true }));
    } catch (error) {
      throw translateSsmError(error, 'PutParameter', name);
    }
  }

  /** Creates the parameter with its tag; false when it already exists. */
  private async createTagged(name: string, value: string, tag: Tag): Promise<boolean> {
    try {
      await this.client.send(new PutParameterCommand({ ...this.parameter(name, value), Tags: [tag] }));
      return true;
    } catch (error) {
      if (awsErrorName(error) === 'ParameterAlreadyExists') return false;
      // The put's first write: refused means nothing of this value was stored (core relies on it).
      throw translateSsmError(error, 'PutParameter', name, true);
    }
  }

  /** Re-binds an existing parameter's tag; false when it vanished meanwhile and may be created. */
  private async retag(name: string, tag: Tag, mayRecreate: boolean): Promise<boolean> {
    try {
      await this.client.send(
        new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: [tag] }),
      );
      return true;
    } catch (error) {
      if (mayRecreate && awsErrorName(error) === 'InvalidResourceId') return false;
      throw translateSsmError(error, 'AddTagsToResource', name);
    }
  }

  /**
   * Advanced costs money per parameter-month, so only values that need it get it. The tier
   * is omitted (account default, Standard) otherwise rather than sent as "Standard", which
   * SSM would refuse if an earlier put of this runner had been Advanced.
   */
  private parameter(name: string, value: string) {
    const advanced = Buffer.byteLength(value, 'utf8') > STANDARD_TIER_MAX_BYTES;
    return {
      Name: name,
      Value: value,
      Type: 'SecureString' as const,
      ...(this.kmsKeyId ? { KeyId: this.kmsKeyId } : {}),
      ...(advanced ? { Tier: 'Advanced' as const } : {}),
    };
  }

  async get(ref: RunnerSecretRef): Promise<string | null> {
    const name = this.pathFor(ref);
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value ?? null;
    } catch (error) {
      if (awsErrorName(error) === 'ParameterNotFound') return null;
      throw translateSsmError(error, 'GetParameter', name);
    }
  }

  async delete(ref: RunnerSecretRef): Promise<void> {
    const name = this.pathFor(ref);
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
  async list(): Promise<readonly (RunnerSecretRef & { readonly storedAt: IsoTime })[]> {
    const found: (RunnerSecretRef & { storedAt: IsoTime })[] = [];
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
          ...refOf(parameter.Name.slice(this.prefix.length + 1)),
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

/** `<runnerId>.<suffix>` or a legacy `<runnerId>`: runner ids never contain "." (see pathFor). */
function refOf(leaf: string): RunnerSecretRef {
  const dot = leaf.lastIndexOf('.');
  return dot > 0
    ? { runnerId: RunnerId(leaf.slice(0, dot)), suffix: leaf.slice(dot + 1) }
    : { runnerId: RunnerId(leaf), suffix: null };
}
