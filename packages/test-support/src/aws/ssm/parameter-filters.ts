import { SsmServiceError, type StoredParameter } from './ssm-store';

/** Filter keys DescribeParameters knows; the emulator models Name, Path, Type and Tier. */
const KNOWN_KEYS = ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'Label', 'DataType'];
const MODELLED: Readonly<
  Record<string, (values: string[], option: string) => (p: StoredParameter) => boolean>
> = {
  Name: (values, option) => (p) =>
    values.some((v) => (option === 'BeginsWith' ? p.name.startsWith(v) : p.name === v)),
  Type: (values) => (p) => values.includes(p.type),
  Tier: (values) => (p) => values.includes(p.tier),
  Path: (values, option) => (p) =>
    values.some((v) => {
      const base = v.endsWith('/') ? v : `${v}/`;
      return p.name.startsWith(base) && (option === 'Recursive' || !p.name.slice(base.length).includes('/'));
    }),
};

/**
 * DescribeParameters `ParameterFilters` as a predicate, so a filtered call never lists
 * everything. An unknown key is AWS's InvalidFilterKey; a key AWS knows but the emulator does
 * not model (KeyId, Label, DataType, tag:…) is refused too, never silently ignored.
 */
export function parameterFilter(filters: unknown): (p: StoredParameter) => boolean {
  if (filters === undefined) return () => true;
  if (!Array.isArray(filters))
    throw new SsmServiceError('ValidationException', 'ParameterFilters must be a list');
  const predicates = filters.map((raw) => {
    const f = (raw ?? {}) as { Key?: unknown; Option?: unknown; Values?: unknown };
    const key = typeof f.Key === 'string' ? f.Key : '';
    const option = typeof f.Option === 'string' ? f.Option : key === 'Path' ? 'OneLevel' : 'Equals';
    const values = Array.isArray(f.Values) ? f.Values.filter((v): v is string => typeof v === 'string') : [];
    if (!KNOWN_KEYS.includes(key) && !key.startsWith('tag:')) {
      throw new SsmServiceError('InvalidFilterKey', `The filter key ${key} is not valid.`);
    }
    const make = MODELLED[key];
    if (!make) {
      throw new SsmServiceError('InvalidFilterKey', `The SSM emulator does not model the ${key} filter.`);
    }
    return make(values, option);
  });
  return (p) => predicates.every((matches) => matches(p));
}
