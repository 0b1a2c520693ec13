import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from './json-text.js';

describe('findDuplicateKey', () => {
  it.each([
    ['{}', undefined],
    ['{"a": 1, "b": 2}', undefined],
    ['{"a": 1, "a": 2}', 'a'],
    ['{"a": {"b": 1}, "b": 2}', undefined], // the same key in different objects is fine
    ['{"a": {"b": 1, "b": 2}}', 'b'],
    ['[{"a": 1}, {"a": 1}]', undefined],
    ['{"a": ["a", "a"]}', undefined], // values are not keys
    ['{"a": "x", "b": "a"}', undefined],
    ['{"a\\"b": 1, "a\\"b": 2}', 'a"b'], // escaped quotes do not end a string
    ['{"\\\\": 1, "\\u005c": 2}', '\\'], // escapes are decoded before comparing
    ['{"x": [{"y": 1}, 2], "y": 3, "x": 4}', 'x'],
  ])('%s → %s', (text, expected) => {
    expect(findDuplicateKey(text)).toBe(expected);
  });

  it('finds no duplicate in anything JSON.stringify produces', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKey(JSON.stringify(value))).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
