/**
 * JSON patterns, `{ $.a.b = "x" && ($.c > 1 || $.d IS NULL) }`. Precedence is CloudWatch's:
 * parentheses, then `&&`, then `||` (so `a || b && c` is `a || (b && c)`).
 */
import type { JsonExpr, Selector } from './ast.js';
import { describeChar, type Cursor } from './cursor.js';
import { readOperator, readValueTest, type RegexBudget } from './values.js';

const NAME_CHAR = /^[A-Za-z0-9_-]$/;

export function parseJsonPattern(cursor: Cursor, budget: RegexBudget): JsonExpr {
  const open = cursor.pos;
  cursor.pos++; // '{'
  cursor.skipSpaces();
  if (cursor.atEnd) cursor.fail("unbalanced braces: no closing '}'", open);
  if (cursor.peek() === '}') cursor.fail('empty JSON pattern: expected a condition inside { }', cursor.pos);
  const expr = parseOr(cursor, budget);
  cursor.skipSpaces();
  if (cursor.peek() !== '}') {
    if (cursor.atEnd) cursor.fail("unbalanced braces: no closing '}'", open);
    cursor.fail(`expected '&&', '||' or '}', found ${describeChar(cursor.peek())}`);
  }
  cursor.pos++;
  cursor.skipSpaces();
  if (!cursor.atEnd) cursor.fail(`unexpected ${describeChar(cursor.peek())} after the closing '}'`);
  return expr;
}

function parseOr(cursor: Cursor, budget: RegexBudget): JsonExpr {
  let left = parseAnd(cursor, budget);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.eat('||')) return left;
    left = { type: 'or', left, right: parseAnd(cursor, budget, '||') };
  }
}

function parseAnd(cursor: Cursor, budget: RegexBudget, after?: string): JsonExpr {
  let left = parseUnary(cursor, budget, after);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.eat('&&')) return left;
    left = { type: 'and', left, right: parseUnary(cursor, budget, '&&') };
  }
}

function parseUnary(cursor: Cursor, budget: RegexBudget, after?: string): JsonExpr {
  cursor.skipSpaces();
  const char = cursor.peek();
  if (char === '(') {
    const open = cursor.pos;
    cursor.pos++;
    const inner = parseOr(cursor, budget);
    cursor.skipSpaces();
    if (cursor.peek() !== ')') {
      if (cursor.atEnd || cursor.peek() === '}') cursor.fail("unbalanced parentheses: no closing ')'", open);
      cursor.fail(`expected '&&', '||' or ')', found ${describeChar(cursor.peek())}`);
    }
    cursor.pos++;
    return inner;
  }
  if (char === '$') return parseTerm(cursor, budget);
  if (after !== undefined) cursor.fail(`expected a condition after '${after}', found ${describeChar(char)}`);
  if (char === ')') cursor.fail("unbalanced parentheses: ')' without '('");
  cursor.fail(`expected a selector starting with '$' or '(', found ${describeChar(char)}`);
}

function parseTerm(cursor: Cursor, budget: RegexBudget): JsonExpr {
  const selector = readSelector(cursor);
  cursor.skipSpaces();
  const at = cursor.pos;
  const op = readOperator(cursor);
  if (op !== undefined) {
    cursor.skipSpaces();
    return { type: 'compare', selector, test: readValueTest(cursor, op, budget) };
  }
  const word = cursor.takeWhile((c) => /^[A-Za-z]$/.test(c)).toUpperCase();
  if (word === 'IS') {
    cursor.skipSpaces();
    const what = cursor.takeWhile((c) => /^[A-Za-z]$/.test(c)).toUpperCase();
    if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') return { type: 'is', selector, what: what === 'NULL' ? 'null' : what === 'TRUE' ? 'true' : 'false' };
    cursor.fail("expected NULL, TRUE or FALSE after 'IS'", cursor.pos - what.length);
  }
  if (word === 'NOT') {
    cursor.skipSpaces();
    const what = cursor.takeWhile((c) => /^[A-Za-z]$/.test(c)).toUpperCase();
    if (what === 'EXISTS') return { type: 'is', selector, what: 'notExists' };
    cursor.fail("expected EXISTS after 'NOT'", cursor.pos - what.length);
  }
  cursor.fail(`expected an operator (= != < > <= >=), IS or NOT EXISTS after ${selector.text}, found ${describeChar(cursor.source.charAt(at))}`, at);
}

/** `$` followed by `.name` and `[n]` steps; at least one step. */
export function readSelector(cursor: Cursor): Selector {
  const start = cursor.pos;
  cursor.pos++; // '$'
  const path: (string | number)[] = [];
  for (;;) {
    const char = cursor.peek();
    if (char === '.') {
      cursor.pos++;
      const name = cursor.takeWhile((c) => NAME_CHAR.test(c));
      if (name === '') cursor.fail(`bad selector: expected a name after '.', found ${describeChar(cursor.peek())}`);
      path.push(name);
    } else if (char === '[') {
      cursor.pos++;
      const digits = cursor.takeWhile((c) => c >= '0' && c <= '9');
      if (digits === '' || cursor.peek() !== ']') cursor.fail("bad selector: expected an array index like [0]");
      cursor.pos++;
      path.push(Number(digits));
    } else {
      break;
    }
  }
  if (path.length === 0) cursor.fail("bad selector: expected '.name' or '[index]' after '$'", start + 1);
  return { text: cursor.source.slice(start, cursor.pos), path };
}
