import { describe, expect, it } from 'vitest';
import { jsonNestingDepth } from './json-depth.js';

describe('jsonNestingDepth', () => {
  it.each([
    ['1', 0],
    ['"{[{["', 0],
    ['{}', 1],
    ['{"a":[]}', 2],
    ['[{"a":"]}\\"{"},[[1]]]', 3],
    ['{"a":{"b":1},"c":{"d":{}}}', 3],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });

  it('measures a very deep text without recursion', () => {
    expect(jsonNestingDepth('['.repeat(1_000_000) + ']'.repeat(1_000_000))).toBe(1_000_000);
  });
});
