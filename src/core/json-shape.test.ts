import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-depth.js';
import { findDuplicateKey } from './json-text.js';
import { jsonTextShape, parsedMembers } from './json-shape.js';

function depthOf(value: unknown): number {
  let depth = 0;
  while (exceedsJsonDepth(value, depth)) depth++;
  return depth;
}

describe('jsonTextShape', () => {
  it('counts nesting and members as the parsed value does, strings with brackets, colons, quotes and escapes included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const shape = jsonTextShape(text);
        expect(shape.depth).toBe(depthOf(JSON.parse(text)));
        expect(shape.members).toBe(parsedMembers(JSON.parse(text)));
      }),
    );
  });

  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"x":{"k":"v:{}","k":"\\"}"}}', 'k'],
    ['[{"a":1},{"a":2,"b":{"c":[1,{"d":1,"d":2}]}}]', 'd'],
  ])('has more members than the parsed value when %s repeats a key (%s)', (text, key) => {
    expect(jsonTextShape(text).members).toBeGreaterThan(parsedMembers(JSON.parse(text)));
    expect(findDuplicateKey(text)).toBe(key);
  });

  it('reads escaped backslashes before a closing quote', () => {
    const text = JSON.stringify({ 'a\\': 'b\\\\', c: ['\\"[', { d: '\\' }] });
    expect(jsonTextShape(text)).toEqual({ depth: 3, members: 3 });
  });
});
