/**
 * Space-delimited patterns, `[ip, user, ..., status_code = 4* || status_code = 5*, bytes > 1000]`:
 * one entry per field of the event, `...` for any number of fields. A field's condition may join
 * tests with `&&` and `||`, each naming that same field (or none: `bytes > 10 && < 20`); a test of
 * another field there is an error, as CloudWatch rejects it.
 */
import type { DelimitedField, FieldCondition, PatternAst } from './ast.js';
import { describeChar, type Cursor } from './cursor.js';
import { readOperator, readValueTest, type RegexBudget } from './values.js';

const NAME = /^[A-Za-z0-9_]$/;

export function parseDelimitedPattern(cursor: Cursor, budget: RegexBudget): Extract<PatternAst, { kind: 'delimited' }> {
  const open = cursor.pos;
  cursor.pos++; // '['
  const fields: DelimitedField[] = [];
  let position = 0;
  for (;;) {
    cursor.skipSpaces();
    if (cursor.atEnd) cursor.fail("unbalanced brackets: no closing ']'", open);
    if (cursor.eat('...')) {
      fields.push({ kind: 'ellipsis' });
    } else {
      position++;
      fields.push(readField(cursor, budget, position));
    }
    cursor.skipSpaces();
    if (cursor.eat(',')) continue;
    if (cursor.eat(']')) break;
    if (cursor.atEnd) cursor.fail("unbalanced brackets: no closing ']'", open);
    cursor.fail(`expected ',' or ']', found ${describeChar(cursor.peek())}`);
  }
  cursor.skipSpaces();
  if (!cursor.atEnd) cursor.fail(`unexpected ${describeChar(cursor.peek())} after the closing ']'`);
  return { kind: 'delimited', fields };
}

function readField(cursor: Cursor, budget: RegexBudget, position: number): DelimitedField {
  const at = cursor.pos;
  const name = cursor.takeWhile((c) => NAME.test(c));
  cursor.skipSpaces();
  const char = cursor.peek();
  if (name === '' && (char === ',' || char === ']')) cursor.fail('empty field: give it a name, a condition or ...', at);
  const key = name === '' ? `$${position}` : `$${name}`;
  if (char === ',' || char === ']' || cursor.atEnd) return name === '' ? { kind: 'field', key } : { kind: 'field', name, key };
  const condition = readOr(cursor, budget, name);
  return name === '' ? { kind: 'field', key, condition } : { kind: 'field', name, key, condition };
}

function readOr(cursor: Cursor, budget: RegexBudget, name: string): FieldCondition {
  let left = readAnd(cursor, budget, name);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.eat('||')) return left;
    left = { type: 'or', left, right: readAnd(cursor, budget, name, '||') };
  }
}

function readAnd(cursor: Cursor, budget: RegexBudget, name: string, after?: string): FieldCondition {
  let left = readTest(cursor, budget, name, after);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.eat('&&')) return left;
    left = { type: 'and', left, right: readTest(cursor, budget, name, '&&') };
  }
}

function readTest(cursor: Cursor, budget: RegexBudget, name: string, after?: string): FieldCondition {
  cursor.skipSpaces();
  if (after !== undefined) {
    const at = cursor.pos;
    const repeated = cursor.takeWhile((c) => NAME.test(c));
    if (repeated !== '' && repeated !== name) {
      cursor.fail(`a condition of field '${name || 'unnamed'}' cannot test another field ('${repeated}'): each field has its own entry`, at);
    }
    cursor.skipSpaces();
  }
  const op = readOperator(cursor);
  if (op === undefined) {
    cursor.fail(after === undefined ? `expected an operator (= != < > <= >=), ',' or ']', found ${describeChar(cursor.peek())}` : `expected a condition after '${after}', found ${describeChar(cursor.peek())}`);
  }
  cursor.skipSpaces();
  return { type: 'test', test: readValueTest(cursor, op, budget) };
}
