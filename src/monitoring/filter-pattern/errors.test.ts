import { describe, expect, it } from 'vitest';
import { FilterPatternError, parseFilterPattern } from './index.js';

/** [pattern, position, a word the message must contain] */
const malformed: [string, number, string][] = [
  // braces and parentheses
  ['{ $.a = 1', 0, 'braces'],
  ['{', 0, 'braces'],
  ['{ }', 2, 'empty'],
  ['{ ($.a = 1 }', 2, 'parentheses'],
  ['{ (($.a = 1) }', 2, 'parentheses'],
  ['{ $.a = 1) }', 9, "'&&', '||' or '}'"],
  ['{ ) }', 2, 'parentheses'],
  ['{ $.a = 1 } x', 12, 'after the closing'],
  ['{ $.a = 1 }}', 11, 'after the closing'],
  // dangling and half operators
  ['{ $.a = 1 && }', 13, "after '&&'"],
  ['{ $.a = 1 || }', 13, "after '||'"],
  ['{ && $.a = 1 }', 2, "'$'"],
  ['{ $.a = 1 & $.b = 2 }', 10, "'&&', '||' or '}'"],
  ['{ $.a = 1 | $.b = 2 }', 10, "'&&', '||' or '}'"],
  ['{ $.a = 1 $.b = 2 }', 10, "'&&', '||' or '}'"],
  // selectors
  ['{ $. = 1 }', 4, 'bad selector'],
  ['{ $ = 1 }', 3, 'bad selector'],
  ['{ $.a[x] = 1 }', 6, 'bad selector'],
  ['{ $.a[1 = 1 }', 7, 'bad selector'],
  ['{ $.a..b = 1 }', 6, 'bad selector'],
  ['{ a = 1 }', 2, "'$'"],
  ['{ $.a$ = 1 }', 5, 'operator'],
  ['{ $.a }', 6, 'operator'],
  ['{ $.a IS MAYBE }', 9, 'NULL, TRUE or FALSE'],
  ['{ $.a NOT THERE }', 10, 'EXISTS'],
  ['{ $.a == 1 }', 7, 'value'],
  // values and numbers
  ['{ $.a = }', 8, 'value'],
  ['{ $.a > abc }', 8, 'bad number'],
  ['{ $.a < 1.2.3 }', 8, 'bad number'],
  ['{ $.a >= 1e }', 9, 'bad number'],
  ['{ $.a > "5" }', 8, 'number'],
  ['{ $.a > %5% }', 8, 'number'],
  ['{ $.a = "abc }', 8, 'unterminated string'],
  ['{ $.a = "abc\\" }', 8, 'unterminated string'],
  // regex
  ['{ $.a = %abc }', 8, 'unterminated regular expression'],
  ['{ $.a = %% }', 8, 'empty regular expression'],
  ['{ $.a = %(a)% }', 9, 'not allowed'],
  ['{ $.a = %a!% }', 10, 'not allowed'],
  ['{ $.a = %[a% }', 8, 'invalid regular expression'],
  ['{ $.a = %x% || $.b = %y% || $.c = %z% }', 34, 'at most 2'],
  ['%a% %b% %c%', 8, 'at most 2'],
  ['[a = %x%, b = %y%, c = %z%]', 23, 'at most 2'],
  // text
  ['"unterminated', 0, 'unterminated string'],
  ['ERROR "abc', 6, 'unterminated string'],
  ['ERROR - x', 6, "'-'"],
  ['ERROR ?', 6, "'?'"],
  ['ab"c', 2, 'quote'],
  ['%abc', 0, 'unterminated regular expression'],
  // space-delimited
  ['[a, b', 0, 'brackets'],
  ['[', 0, 'brackets'],
  ['[a, , b]', 4, 'empty field'],
  ['[]', 1, 'empty field'],
  ['[a b]', 3, 'operator'],
  ['[a, b] x', 7, 'after the closing'],
  ['[code = 4* && bytes > 1000]', 14, 'another field'],
  ['[code = 4* &&]', 13, "after '&&'"],
  ['[code > x]', 8, 'bad number'],
  ['[code = "x]', 8, 'unterminated string'],
  // length
  [`{ $.a = "${'x'.repeat(1100)}" }`, 1024, '1024'],
];

describe('malformed patterns', () => {
  it.each(malformed)('%j fails at %i', (pattern, position, word) => {
    let error: unknown;
    try {
      parseFilterPattern(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterPatternError);
    const e = error as FilterPatternError;
    expect(e.name).toBe('FilterPatternError');
    expect(e.message).toContain(word);
    expect(e.message).toContain(`position ${position}`);
    expect(e.position).toBe(position);
  });

  it('accepts a pattern of exactly 1024 characters', () => {
    const pattern = `{ $.a = "${'x'.repeat(1024 - 12)}" }`;
    expect(pattern).toHaveLength(1024);
    expect(() => parseFilterPattern(pattern)).not.toThrow();
  });
});
