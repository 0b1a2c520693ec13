import { describe, expect, it } from 'vitest';
import { jsonTextDepth } from './json-text-depth.js';

describe('jsonTextDepth', () => {
  it.each([
    ['1', 0],
    ['"{[{["', 0],
    ['{}', 1],
    ['{"a":[]}', 2],
    ['[{"a":"]}\\"{"},[[1]]]', 3],
    ['{"a":{"b":1},"c":{"d":{}}}', 3],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonTextDepth(text)).toBe(depth);
  });

  it('measures a very deep text without recursion', () => {
    expect(jsonTextDepth('['.repeat(1_000_000) + ']'.repeat(1_000_000))).toBe(1_000_000);
  });
});
