/**
 * Text patterns: `ERROR Exception` (all terms), `-term` (none of these), `?ERROR ?WARN` (at
 * least one of these), `"quoted phrase"`, `%regex%`.
 */
import type { PatternAst, TextTerm } from './ast.js';
import { isSpace, type Cursor } from './cursor.js';
import { readQuoted, readRegex, type RegexBudget } from './values.js';

export function parseTextPattern(cursor: Cursor, budget: RegexBudget): Extract<PatternAst, { kind: 'text' }> {
  const ast: Extract<PatternAst, { kind: 'text' }> = { kind: 'text', required: [], excluded: [], optional: [] };
  for (;;) {
    cursor.skipSpaces();
    if (cursor.atEnd) return ast;
    const prefix = cursor.peek();
    const list = prefix === '-' ? ast.excluded : prefix === '?' ? ast.optional : ast.required;
    if (list !== ast.required) {
      cursor.pos++;
      if (cursor.atEnd || isSpace(cursor.source.charCodeAt(cursor.pos))) cursor.fail(`'${prefix}' must be followed by a term`, cursor.pos - 1);
    }
    list.push(readTerm(cursor, budget));
  }
}

function readTerm(cursor: Cursor, budget: RegexBudget): TextTerm {
  const char = cursor.peek();
  if (char === '"') {
    // Wildcards mean nothing in a text term: the stars are put back as written.
    const { text, leadingWildcard, trailingWildcard } = readQuoted(cursor);
    return { kind: 'literal', text: (leadingWildcard ? '*' : '') + text + (trailingWildcard ? '*' : '') };
  }
  if (char === '%') return { kind: 'regex', source: readRegex(cursor, budget) };
  const start = cursor.pos;
  const text = cursor.takeWhile((c) => !isSpace(c.charCodeAt(0)));
  const quote = text.indexOf('"');
  if (quote >= 0) cursor.fail("a '\"' inside a term: quote the whole term", start + quote);
  return { kind: 'literal', text };
}
