import { createHash } from 'node:crypto';
import { parameterFilter } from './parameter-filters';
import { SsmServiceError, type SsmStore, type StoredParameter } from './ssm-store';
import { tagList, tagsField, taggedParameter } from './ssm-tags';

/** A decoded JSON 1.1 request body. */
export type SsmRequest = Readonly<Record<string, unknown>>;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MAX_BATCH_NAMES = 10;
const MAX_PAGE = 10;
const MAX_DESCRIBE_PAGE = 50;

function arnOf(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/**
 * Without WithDecryption AWS returns a SecureString's ciphertext; the emulator returns an
 * opaque stand-in so a reader that forgets to decrypt never sees the secret.
 */
function ciphertextOf(p: StoredParameter): string {
  const digest = createHash('sha256')
    .update(`${p.keyId ?? ''}:${p.value}`)
    .digest('hex');
  return Buffer.from(`emulated-kms:${digest}`).toString('base64');
}

/** The JSON shape of a Parameter; dates travel as epoch seconds in the JSON protocols. */
function toWire(p: StoredParameter, decrypt: boolean) {
  return {
    Name: p.name,
    Type: p.type,
    Value: p.type === 'SecureString' && !decrypt ? ciphertextOf(p) : p.value,
    Version: p.version,
    LastModifiedDate: p.lastModifiedMs / 1000,
    ARN: arnOf(p.name),
    DataType: 'text',
  };
}

function stringField(request: SsmRequest, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new SsmServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function namesField(request: SsmRequest): string[] {
  const names = request['Names'];
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.length > MAX_BATCH_NAMES ||
    !names.every((n) => typeof n === 'string')
  ) {
    throw new SsmServiceError(
      'ValidationException',
      `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_NAMES} and greater than or equal to 1`,
    );
  }
  return names as string[];
}

function notFound(name: string): SsmServiceError {
  return new SsmServiceError('ParameterNotFound', `Parameter ${name} not found.`);
}

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const match =
    typeof token === 'string' ? /^page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8')) : null;
  if (!match?.[1]) throw new SsmServiceError('InvalidNextToken', 'The specified token is not valid.');
  return Number(match[1]);
}

const encodeToken = (offset: number): string => Buffer.from(`page:${offset}`).toString('base64');

/** MaxResults: GetParametersByPath allows 1–10, DescribeParameters 1–50. */
function pageSize(request: SsmRequest, limit: number): number {
  const max = request['MaxResults'];
  if (max === undefined) return limit;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > limit) {
    throw new SsmServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${limit}`,
    );
  }
  return max;
}

type Action = (store: SsmStore, request: SsmRequest) => unknown;

/** The supported actions, keyed by the operation name after `AmazonSSM.` in X-Amz-Target. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  PutParameter(store, request) {
    const stored = store.put(request);
    return { Version: stored.version, Tier: stored.tier };
  },
  GetParameter(store, request) {
    const name = stringField(request, 'Name');
    const found = store.get(name);
    if (!found) throw notFound(name);
    return { Parameter: toWire(found, request['WithDecryption'] === true) };
  },
  GetParameters(store, request) {
    const names = namesField(request);
    const decrypt = request['WithDecryption'] === true;
    const found = names.flatMap((n) => store.get(n) ?? []);
    return {
      Parameters: found.map((p) => toWire(p, decrypt)),
      InvalidParameters: names.filter((n) => !store.get(n)),
    };
  },
  GetParametersByPath(store, request) {
    const all = store.underPath(stringField(request, 'Path'), request['Recursive'] === true);
    const offset = decodeToken(request['NextToken']);
    const size = pageSize(request, MAX_PAGE);
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(offset + size) : undefined;
    return {
      Parameters: page.map((p) => toWire(p, request['WithDecryption'] === true)),
      ...(next ? { NextToken: next } : {}),
    };
  },
  DeleteParameter(store, request) {
    const name = stringField(request, 'Name');
    if (!store.delete(name)) throw notFound(name);
    return {};
  },
  DeleteParameters(store, request) {
    const names = namesField(request);
    const deleted = names.filter((n) => store.delete(n));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
  },
  AddTagsToResource(store, request) {
    store.addTags(taggedParameter(request), tagsField(request['Tags']));
    return {};
  },
  ListTagsForResource(store, request) {
    const name = taggedParameter(request);
    const found = store.get(name);
    if (!found) throw new SsmServiceError('InvalidResourceId', `The resource ID "${name}" is not valid.`);
    return { TagList: tagList(found.tags) };
  },
  DescribeParameters(store, request) {
    const offset = decodeToken(request['NextToken']);
    const size = pageSize(request, MAX_DESCRIBE_PAGE);
    const all = store.all().filter(parameterFilter(request['ParameterFilters']));
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(offset + size) : undefined;
    return {
      Parameters: page.map((p) => ({
        Name: p.name,
        Type: p.type,
        Version: p.version,
        Tier: p.tier,
        LastModifiedDate: p.lastModifiedMs / 1000,
        ARN: arnOf(p.name),
        DataType: 'text',
        ...(p.keyId ? { KeyId: p.keyId } : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
};
