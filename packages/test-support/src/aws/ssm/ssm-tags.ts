import { SsmServiceError } from './ssm-service-error';

/** Tags of one parameter, key → value. */
export type ParameterTags = Readonly<Record<string, string>>;

const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/**
 * The `Tags` list of PutParameter or AddTagsToResource as a map, checked against the Tag
 * shape of the API reference (Key 1–128, Value 0–256 characters, at most 50 per resource).
 */
export function tagsField(value: unknown): ParameterTags {
  if (value === undefined) return {};
  if (!Array.isArray(value)) {
    throw new SsmServiceError('ValidationException', '1 validation error detected: Tags must be a list');
  }
  const tags: Record<string, string> = {};
  for (const tag of value as unknown[]) {
    const { Key: key, Value: text } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof key !== 'string' || key.length < 1 || key.length > MAX_KEY) {
      throw new SsmServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and ${MAX_KEY}`,
      );
    }
    if (typeof text !== 'string' || text.length > MAX_VALUE) {
      throw new SsmServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE}`,
      );
    }
    tags[key] = text;
  }
  return tags;
}

/** Existing tags with `added` on top; AWS's TooManyTagsError past 50. */
export function mergeTags(existing: ParameterTags, added: ParameterTags): ParameterTags {
  const merged = { ...existing, ...added };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new SsmServiceError('TooManyTagsError', `A resource can have at most ${MAX_TAGS} tags.`);
  }
  return merged;
}

/**
 * PutParameter cannot tag an existing parameter: AWS refuses Tags with Overwrite (tags are
 * set on create, then changed with AddTagsToResource), with this message.
 */
export function refuseTagsWithOverwrite(overwrite: unknown, tags: unknown): void {
  if (overwrite === true && Array.isArray(tags) && tags.length > 0) {
    throw new SsmServiceError(
      'ValidationException',
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
}

/** The parameter name of a tagging call: only `Parameter` resources live in this emulator. */
export function taggedParameter(request: Readonly<Record<string, unknown>>): string {
  if (request['ResourceType'] !== 'Parameter') {
    throw new SsmServiceError(
      'InvalidResourceType',
      `The resource type ${String(request['ResourceType'])} is not valid here (the emulator holds parameters only).`,
    );
  }
  const id = request['ResourceId'];
  if (typeof id !== 'string' || id.length === 0) {
    throw new SsmServiceError('InvalidResourceId', 'The resource ID is not valid.');
  }
  return id;
}

export const tagList = (tags: ParameterTags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
