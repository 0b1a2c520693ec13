/** A pattern's text → its AST: the first non-space character picks the language. */
import type { PatternAst } from './ast.js';
import { Cursor } from './cursor.js';
import { parseDelimitedPattern } from './delimited-parser.js';
import { parseJsonPattern } from './json-parser.js';
import { parseTextPattern } from './text-parser.js';
import { RegexBudget } from './values.js';

/** PutMetricFilter's limit on filterPattern. */
export const MAX_PATTERN_LENGTH = 1024;

export function parsePatternAst(source: string): { ast: PatternAst; regexCount: number } {
  const cursor = new Cursor(source);
  if (source.length > MAX_PATTERN_LENGTH) cursor.fail(`a filter pattern is at most ${MAX_PATTERN_LENGTH} characters, this one has ${source.length}`, MAX_PATTERN_LENGTH);
  const budget = new RegexBudget();
  cursor.skipSpaces();
  if (cursor.atEnd) return { ast: { kind: 'all' }, regexCount: 0 };
  const first = cursor.peek();
  let ast: PatternAst;
  if (first === '{') ast = { kind: 'json', expr: parseJsonPattern(cursor, budget) };
  else if (first === '[') ast = parseDelimitedPattern(cursor, budget);
  else ast = parseTextPattern(cursor, budget);
  return { ast, regexCount: budget.count };
}
