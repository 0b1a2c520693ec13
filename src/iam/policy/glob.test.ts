import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch, literalGlob, matchGlobPattern } from './glob.js';

/**
 * The plainest possible reference: a memoised recursive matcher over code points, written straight
 * from the definition. Slow, but obviously right.
 */
function referenceMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const fold = (s: string): string[] => Array.from(caseInsensitive ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const p = fold(pattern);
  const v = fold(value);
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === p.length) result = j === v.length;
    else if (p[i] === '*') result = match(i + 1, j) || (j < v.length && match(i, j + 1));
    else if (j === v.length) result = false;
    else if (p[i] === '?' || p[i] === v[j]) result = match(i + 1, j + 1);
    else result = false;
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

describe('globMatch', () => {
  it.each([
    // [pattern, value, expected]
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abc', 'ab', false],
    ['*Trail', 'CreateTrail', true], // wildcard at start
    ['Get*Selectors', 'GetEventSelectors', true], // in the middle
    ['Get*', 'GetTrail', true], // at the end
    ['Get*', 'Get', true], // star may match nothing
    ['Get*', 'ListTrails', false],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['Get?rail', 'GetTrail', true],
    ['Get?rail', 'GetTTrail', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['*a', '*ba', true], // a literal '*' in the value is just a character
    ['a?', 'a*', true],
    ['a', '*', false],
    ['x:*', 'x:y/z:w', true], // '*' spans ':' and '/'
    ['?', '😀', true], // '?' is one code point, not one UTF-16 unit
  ])('%j against %j is %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
    expect(referenceMatch(pattern, value)).toBe(expected);
  });

  it('is case-sensitive by default and folds ASCII case on request', () => {
    expect(globMatch('GetTrail', 'gettrail')).toBe(false);
    expect(globMatch('GetTrail', 'gettrail', { caseInsensitive: true })).toBe(true);
    expect(globMatch('get?RAIL*', 'GETtrailStatus', { caseInsensitive: true })).toBe(true);
    // Only ASCII is folded, so a non-ASCII letter keeps its case.
    expect(globMatch('É', 'é', { caseInsensitive: true })).toBe(false);
  });

  const symbol = fc.constantFrom('a', 'b', ':', '/', '*', '?');
  const text = (maxLength: number) => fc.string({ unit: symbol, maxLength });

  it('agrees with the reference matcher on random patterns and values', () => {
    fc.assert(
      fc.property(text(10), text(14), (pattern, value) => {
        expect(globMatch(pattern, value)).toBe(referenceMatch(pattern, value));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference when the value is built to fit the pattern', () => {
    // Random pairs mostly do not match; derive values from the pattern to exercise the "true" side.
    const fitted = text(8).chain((pattern) =>
      fc
        .tuple(...Array.from(pattern, (c) => (c === '*' ? text(4) : c === '?' ? symbol : fc.constant(c))))
        .map((parts) => ({ pattern, value: parts.join('') })),
    );
    fc.assert(
      fc.property(fitted, ({ pattern, value }) => {
        expect(globMatch(pattern, value)).toBe(true);
        expect(referenceMatch(pattern, value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference case-insensitively', () => {
    const mixed = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', ':', '*', '?'), maxLength });
    fc.assert(
      fc.property(mixed(8), mixed(12), (pattern, value) => {
        expect(globMatch(pattern, value, { caseInsensitive: true })).toBe(referenceMatch(pattern, value, true));
      }),
      { numRuns: 3000 },
    );
  });

  it('finishes on patterns that make backtracking regexes explode', () => {
    // /^a.*a.*a.*a.*a.*b$/ style matching against a long run of 'a' takes exponential or high
    // polynomial time in a backtracking engine; the iterative matcher stays near linear.
    const value = 'a'.repeat(100_000);
    expect(globMatch('a*a*a*a*a*b', value)).toBe(false);
    expect(globMatch(`${'a*'.repeat(40)}b`, value)).toBe(false);
    expect(globMatch(`${'*a'.repeat(40)}*`, value)).toBe(true);
    expect(globMatch(`*${'?'.repeat(30)}b`, value)).toBe(false);
    const arn = `arn:aws:cloudtrail:us-east-1:123456789012:channel/${':/'.repeat(50_000)}`;
    expect(globMatch(`${'*:'.repeat(30)}*x`, arn)).toBe(false);
  });

  it('keeps literal stars and question marks apart from wildcards in compiled patterns', () => {
    const pattern = [...compileGlob('a*'), ...literalGlob('*?'), ...compileGlob('?')];
    expect(matchGlobPattern(pattern, 'axyz*?b')).toBe(true);
    expect(matchGlobPattern(pattern, 'a*?b')).toBe(true);
    expect(matchGlobPattern(pattern, 'axyzab')).toBe(false);
    expect(matchGlobPattern(literalGlob('A*', { caseInsensitive: true }), 'a*', { caseInsensitive: true })).toBe(true);
    expect(matchGlobPattern(literalGlob('a*'), 'abc')).toBe(false);
  });
});
