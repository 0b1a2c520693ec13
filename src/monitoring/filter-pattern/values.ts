/**
 * The values a comparison names (quoted strings, bare words, numbers, `%regex%`), read the same
 * way by the JSON and the space-delimited parsers, and counted for the regex quota.
 */
import type { NumericOp, ValueTest } from './ast.js';
import { describeChar, type Cursor } from './cursor.js';

/** Signed decimals and scientific notation: the only numbers a pattern (or a delimited field) holds. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

/**
 * Bare values: CloudWatch's docs call them alphanumeric, yet their own examples write
 * `123.123.*` unquoted, so the punctuation that occurs in IPs, ARNs and versions is accepted too.
 */
function isBareChar(char: string): boolean {
  return /^[A-Za-z0-9_.+\-:/@*]$/.test(char);
}

/** Characters CloudWatch allows inside `%...%` (its docs list them; parentheses are refused). */
const REGEX_CHARS = /^[A-Za-z0-9_#=@/;,:\- ^$?[\]{}|\\*+.]$/;

export const MAX_REGEX_TERMS = 2;

/** Counts `%...%` terms as they are read, failing on the one past CloudWatch's quota. */
export class RegexBudget {
  count = 0;

  take(cursor: Cursor, at: number): void {
    this.count++;
    if (this.count > MAX_REGEX_TERMS) cursor.fail(`a filter pattern may hold at most ${MAX_REGEX_TERMS} regular expressions`, at);
  }
}

/** Reads `"..."` at the cursor: `\"` and `\\` escape, `\*` is a literal star. */
export function readQuoted(cursor: Cursor): { text: string; leadingWildcard: boolean; trailingWildcard: boolean } {
  const open = cursor.pos;
  cursor.pos++;
  let text = '';
  let leadingWildcard = false;
  let trailingWildcard = false;
  for (;;) {
    const char = cursor.peek();
    if (char === '') cursor.fail('unterminated string: no closing \'"\'', open);
    cursor.pos++;
    if (char === '"') break;
    if (char === '\\') {
      const next = cursor.peek();
      if (next === '') cursor.fail('unterminated string: no closing \'"\'', open);
      text += next;
      cursor.pos++;
      continue;
    }
    if (char === '*' && cursor.pos - 1 === open + 1) {
      leadingWildcard = true;
      continue;
    }
    if (char === '*' && cursor.peek() === '"') {
      // A lone "*" is already a leading wildcard; do not count the same star twice.
      if (!(leadingWildcard && text === '')) trailingWildcard = true;
      continue;
    }
    text += char;
  }
  return { text, leadingWildcard, trailingWildcard };
}

/** Reads `%...%` at the cursor and checks it compiles. */
export function readRegex(cursor: Cursor, budget: RegexBudget): string {
  const open = cursor.pos;
  budget.take(cursor, open);
  cursor.pos++;
  let source = '';
  for (;;) {
    const char = cursor.peek();
    if (char === '') cursor.fail("unterminated regular expression: no closing '%'", open);
    if (char === '%') break;
    if (char === '\\' && cursor.peek(1) !== '') {
      source += char + cursor.peek(1);
      cursor.pos += 2;
      continue;
    }
    if (!REGEX_CHARS.test(char)) cursor.fail(`${describeChar(char)} is not allowed in a regular expression`);
    source += char;
    cursor.pos++;
  }
  cursor.pos++;
  if (source === '') cursor.fail('empty regular expression', open);
  try {
    new RegExp(source);
  } catch {
    cursor.fail(`invalid regular expression %${source}%`, open);
  }
  return source;
}

/** Reads the value after a comparison operator. */
export function readValueTest(cursor: Cursor, op: NumericOp, budget: RegexBudget): ValueTest {
  const at = cursor.pos;
  const char = cursor.peek();
  const stringOp = op === '=' || op === '!=' ? op : undefined;
  if (char === '"') {
    if (stringOp === undefined) cursor.fail(`'${op}' compares numbers: expected a number, not a string`);
    return { kind: 'string', op: stringOp, ...readQuoted(cursor) };
  }
  if (char === '%') {
    if (stringOp === undefined) cursor.fail(`'${op}' compares numbers: expected a number, not a regular expression`);
    return { kind: 'regex', op: stringOp, source: readRegex(cursor, budget) };
  }
  const text = cursor.takeWhile(isBareChar);
  if (text === '') cursor.fail(`expected a value after '${op}', found ${describeChar(char)}`);
  const value = parseNumber(text);
  if (value !== undefined) return { kind: 'number', op, value, text };
  if (stringOp === undefined) cursor.fail(`bad number '${text}' after '${op}'`, at);
  if (text === '*') return { kind: 'present', op: stringOp };
  const leadingWildcard = text.startsWith('*');
  const trailingWildcard = text.length > 1 && text.endsWith('*');
  return { kind: 'string', op: stringOp, text: text.slice(leadingWildcard ? 1 : 0, trailingWildcard ? -1 : undefined), leadingWildcard, trailingWildcard };
}

/** Reads a comparison operator, or returns undefined when none is at the cursor. */
export function readOperator(cursor: Cursor): NumericOp | undefined {
  for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) if (cursor.eat(op)) return op;
  return undefined;
}
