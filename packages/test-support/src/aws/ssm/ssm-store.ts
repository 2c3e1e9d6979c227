/**
 * The Parameter Store state behind the SSM emulator: parameters by name, with the rules of
 * the real service that Hangar's adapters depend on (tiers and their size limits,
 * Overwrite, tags, hierarchy listing with pagination, batch limits of 10).
 */
import { SsmServiceError } from './ssm-service-error';
import { mergeTags, refuseTagsWithOverwrite, tagsField, type ParameterTags } from './ssm-tags';

export { SsmServiceError };

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

/** One stored parameter, as `parameters()` on the emulator handle shows it. */
export interface StoredParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  readonly version: number;
  readonly tier: ParameterTier;
  /** The KMS key of a SecureString (AWS records `alias/aws/ssm` when none is given). */
  readonly keyId: string | undefined;
  /** Epoch milliseconds of the last PutParameter. */
  readonly lastModifiedMs: number;
  /** Set on create (PutParameter Tags) or by AddTagsToResource; kept by an overwrite. */
  readonly tags: ParameterTags;
}

const STANDARD_MAX_BYTES = 4096;
const ADVANCED_MAX_BYTES = 8192;
const DEFAULT_KEY_ID = 'alias/aws/ssm';
const MAX_HIERARCHY_LEVELS = 15;
const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];

export interface PutInput {
  readonly Name?: unknown;
  readonly Value?: unknown;
  readonly Type?: unknown;
  readonly Overwrite?: unknown;
  readonly Tier?: unknown;
  readonly KeyId?: unknown;
  readonly Tags?: unknown;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SsmServiceError(
      'ValidationException',
      `1 validation error detected: ${field} must not be null`,
    );
  }
  return value;
}

/** Name rules from the PutParameter reference: no aws/ssm prefix, `/` paths start with `/`. */
export function validateName(name: string): void {
  const bare = name.replace(/^\//, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    throw new SsmServiceError(
      'ValidationException',
      `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`,
    );
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw new SsmServiceError(
      'ValidationException',
      `Parameter name ${name} contains characters that are not allowed`,
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw new SsmServiceError(
      'ValidationException',
      `Parameter name must be a fully qualified name: ${name}`,
    );
  }
  if (name.split('/').length - 1 > MAX_HIERARCHY_LEVELS) {
    throw new SsmServiceError(
      'HierarchyLevelLimitExceededException',
      `Parameter ${name} is nested deeper than ${MAX_HIERARCHY_LEVELS} levels`,
    );
  }
}

/** The tier a put lands in; an Advanced parameter stays Advanced unless asked to downgrade. */
function resolveTier(
  requested: unknown,
  value: string,
  existing: StoredParameter | undefined,
): ParameterTier {
  const bytes = Buffer.byteLength(value, 'utf8');
  let tier: ParameterTier;
  if (requested === undefined) tier = existing?.tier ?? 'Standard';
  else if (requested === 'Standard' || requested === 'Advanced') tier = requested;
  else if (requested === 'Intelligent-Tiering')
    tier = bytes > STANDARD_MAX_BYTES || existing?.tier === 'Advanced' ? 'Advanced' : 'Standard';
  else
    throw new SsmServiceError(
      'ValidationException',
      `Tier ${String(requested)} is not one of Standard, Advanced, Intelligent-Tiering`,
    );
  if (tier === 'Standard' && existing?.tier === 'Advanced') {
    // AWS cannot move an advanced parameter back to the standard tier; it must be deleted first.
    throw new SsmServiceError(
      'ValidationException',
      `Parameter ${existing.name} is an advanced parameter and cannot be downgraded to the standard tier`,
    );
  }
  if (tier === 'Standard' && bytes > STANDARD_MAX_BYTES) {
    throw new SsmServiceError(
      'ValidationException',
      `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX_BYTES} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
    );
  }
  if (bytes > ADVANCED_MAX_BYTES) {
    throw new SsmServiceError(
      'ValidationException',
      `Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX_BYTES} characters.`,
    );
  }
  return tier;
}

/** The mutable parameter map with the operations the emulator's actions call. */
export class SsmStore {
  private readonly byName = new Map<string, StoredParameter>();

  constructor(private readonly nowMs: () => number) {}

  all(): StoredParameter[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): StoredParameter | undefined {
    return this.byName.get(name);
  }

  put(input: PutInput): StoredParameter {
    const name = requireString(input.Name, 'Name');
    const value = requireString(input.Value, 'Value');
    validateName(name);
    refuseTagsWithOverwrite(input.Overwrite, input.Tags);
    const tags = tagsField(input.Tags);
    const existing = this.byName.get(name);
    if (existing && input.Overwrite !== true) {
      throw new SsmServiceError(
        'ParameterAlreadyExists',
        `The parameter already exists. To overwrite this value, set the overwrite option in the request to true.`,
      );
    }
    const type = input.Type ?? existing?.type;
    if (typeof type !== 'string' || !TYPES.includes(type)) {
      throw new SsmServiceError(
        'ValidationException',
        `Type must be one of String, StringList, SecureString for a new parameter, got ${String(type)}`,
      );
    }
    if (input.KeyId !== undefined && type !== 'SecureString') {
      throw new SsmServiceError(
        'ValidationException',
        'KeyId is required for SecureString type parameter only.',
      );
    }
    const tier = resolveTier(input.Tier, value, existing);
    const stored: StoredParameter = {
      name,
      type: type as ParameterType,
      value,
      version: (existing?.version ?? 0) + 1,
      tier,
      keyId:
        type === 'SecureString'
          ? typeof input.KeyId === 'string'
            ? input.KeyId
            : DEFAULT_KEY_ID
          : undefined,
      lastModifiedMs: this.nowMs(),
      tags: existing ? existing.tags : mergeTags({}, tags),
    };
    this.byName.set(name, stored);
    return stored;
  }

  /** AddTagsToResource: new keys added, existing keys replaced. */
  addTags(name: string, tags: ParameterTags): void {
    const existing = this.byName.get(name);
    if (!existing) throw new SsmServiceError('InvalidResourceId', `The resource ID "${name}" is not valid.`);
    this.byName.set(name, { ...existing, tags: mergeTags(existing.tags, tags) });
  }

  delete(name: string): boolean {
    return this.byName.delete(name);
  }

  /** Parameters under `path`: direct children only, or every descendant when `recursive`. */
  underPath(path: string, recursive: boolean): StoredParameter[] {
    if (!path.startsWith('/')) {
      throw new SsmServiceError(
        'ValidationException',
        `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/".`,
      );
    }
    const base = path.endsWith('/') ? path : `${path}/`;
    return this.all().filter((p) => {
      if (!p.name.startsWith(base)) return false;
      return recursive || !p.name.slice(base.length).includes('/');
    });
  }
}
