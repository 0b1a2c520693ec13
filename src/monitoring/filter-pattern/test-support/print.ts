/**
 * ASTs back to pattern text, for the property tests: parse(print(ast)) must mean what the
 * reference evaluator says ast means. `extraParens` wraps some nodes that need none, to check
 * that redundant parentheses change nothing.
 */
import type { JsonExpr, TextTerm, ValueTest } from '../ast.js';

export function printValueTest(test: ValueTest, bare: boolean): string {
  switch (test.kind) {
    case 'number':
      return `${test.op} ${test.text}`;
    case 'regex':
      return `${test.op} %${test.source}%`;
    case 'present':
      return `${test.op} *`;
    case 'string': {
      const head = test.leadingWildcard ? '*' : '';
      const tail = test.trailingWildcard ? '*' : '';
      if (bare && /^[A-Za-z][A-Za-z0-9]*$/.test(test.text)) return `${test.op} ${head}${test.text}${tail}`;
      return `${test.op} "${head}${test.text.replace(/[\\"*]/g, (c) => `\\${c}`)}${tail}"`;
    }
  }
}

export function printJson(expr: JsonExpr, choices: { bare: boolean; extraParens: boolean }): string {
  return `{ ${printExpr(expr, 0, choices)} }`;
}

/** Binding strength: || is 1, && is 2, a term 3. */
function printExpr(expr: JsonExpr, parent: number, choices: { bare: boolean; extraParens: boolean }): string {
  let text: string;
  let strength: number;
  switch (expr.type) {
    case 'and':
    case 'or':
      strength = expr.type === 'or' ? 1 : 2;
      // Left-associative: the right operand of the same operator is parenthesised so the tree survives.
      text = `${printExpr(expr.left, strength, choices)} ${expr.type === 'or' ? '||' : '&&'} ${printExpr(expr.right, strength + 0.5, choices)}`;
      break;
    case 'compare':
      strength = 3;
      text = `${expr.selector.text} ${printValueTest(expr.test, choices.bare)}`;
      break;
    case 'is':
      strength = 3;
      text = `${expr.selector.text} ${expr.what === 'notExists' ? 'NOT EXISTS' : `IS ${expr.what.toUpperCase()}`}`;
      break;
  }
  return strength < parent || (choices.extraParens && strength === 3) ? `(${text})` : text;
}

export function printTextTerm(term: TextTerm): string {
  return term.kind === 'regex' ? `%${term.source}%` : `"${term.text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
