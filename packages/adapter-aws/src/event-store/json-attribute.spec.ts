import { describe, expect, it } from '@jest/globals';
import { fromAttribute, toAttribute } from './json-attribute';

describe('JSON ⇄ DynamoDB attributes', () => {
  it('round-trips every JSON value, nested', () => {
    const value = {
      s: 'x',
      empty: '',
      n: -1.5,
      big: 2 ** 53 - 1,
      t: true,
      f: false,
      z: null,
      l: [1, ['a'], { k: null }],
      m: {},
    };
    expect(fromAttribute(toAttribute(value))).toEqual(value);
  });

  it('maps objects to M, arrays to L and null to NULL', () => {
    expect(toAttribute({ a: [null, 1] })).toEqual({ M: { a: { L: [{ NULL: true }, { N: '1' }] } } });
  });

  it('drops undefined members the way JSON does (and nulls them inside arrays)', () => {
    expect(toAttribute({ a: undefined, b: [undefined] })).toEqual({ M: { b: { L: [{ NULL: true }] } } });
  });

  it.each([
    ['a Date', { at: new Date(0) }, '$.at is a Date'],
    ['a Map', { m: new Map() }, '$.m is a Map'],
    ['NaN', { n: Number.NaN }, '$.n is NaN'],
    ['a bigint', { n: 1n }, '$.n is a bigint'],
  ])('refuses %s with a TypeError naming the path', (_what, value, message) => {
    expect(() => toAttribute(value)).toThrow(TypeError);
    expect(() => toAttribute(value)).toThrow(message);
  });
});
