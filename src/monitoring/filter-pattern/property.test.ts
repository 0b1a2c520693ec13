/**
 * Properties: random JSON patterns (as ASTs, printed to text) parsed and evaluated by the real
 * code agree with the naive reference evaluator on random events; random text patterns agree
 * with plain `includes`; and no input makes the parser throw anything but FilterPatternError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonExpr, NumericOp, Selector, ValueTest } from './ast.js';
import { FilterPatternError, matchLogEvent, parseFilterPattern, prepareLogEvent } from './index.js';
import { parsePatternAst } from './parser.js';
import { printJson, printTextTerm } from './test-support/print.js';
import { referenceEval } from './test-support/reference.js';

const PATHS: (string | number)[][] = [['a'], ['b'], ['c-d'], ['e_f'], ['o', 'a'], ['o', 'b'], ['arr', 0], ['arr', 1], ['arr', 1, 0], ['o', 'arr', 0]];

function selectorOf(path: (string | number)[]): Selector {
  return { path, text: '$' + path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('') };
}

const shortText = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '1', ' ', '*', '"', '\\', '.'), maxLength: 4 });
const scalar = fc.oneof(shortText, fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5, 1e3, 1500), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'arr'), tie('value'), { maxKeys: 3 })),
})).value;
/** Mostly scalars where the selectors point, so that comparisons are decided by value, not by shape. */
const field = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: jsonValue });
const event = fc.record({
  a: field,
  b: field,
  'c-d': field,
  e_f: field,
  o: fc.record({ a: field, b: field, arr: fc.array(field, { maxLength: 2 }) }, { requiredKeys: [] }),
  arr: fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }),
});

/** Numbers as a user writes them, in several notations. */
const numberText = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom('0.5', '-1.5', '+2', '1e3', '1.5e3', '15E2', '.5', '-0', '3.', '1500'),
);
const stringOp = fc.constantFrom<'=' | '!='>('=', '!=');
const valueTest: fc.Arbitrary<ValueTest> = fc.oneof(
  fc.record({ kind: fc.constant('string' as const), op: stringOp, text: shortText, leadingWildcard: fc.boolean(), trailingWildcard: fc.boolean() }),
  fc.record({ kind: fc.constant('number' as const), op: fc.constantFrom<NumericOp>('=', '!=', '<', '>', '<=', '>='), text: numberText }).map((t) => ({ ...t, value: Number(t.text) })),
  fc.record({ kind: fc.constant('regex' as const), op: stringOp, source: fc.constantFrom('^a', 'b$', 'a|1', '[ab]+', '\\.') }),
  fc.record({ kind: fc.constant('present' as const), op: stringOp }),
);
const term: fc.Arbitrary<JsonExpr> = fc.oneof(
  fc.record({ type: fc.constant('compare' as const), selector: fc.constantFrom(...PATHS).map(selectorOf), test: valueTest }),
  fc.record({ type: fc.constant('is' as const), selector: fc.constantFrom(...PATHS).map(selectorOf), what: fc.constantFrom<'null' | 'true' | 'false' | 'notExists'>('null', 'true', 'false', 'notExists') }),
);
const expr = fc.letrec<{ expr: JsonExpr }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small' }, term, fc.record({ type: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('expr'), right: tie('expr') })),
})).expr;

function regexTerms(e: JsonExpr): number {
  if (e.type === 'and' || e.type === 'or') return regexTerms(e.left) + regexTerms(e.right);
  return e.type === 'compare' && e.test.kind === 'regex' ? 1 : 0;
}

describe('properties', () => {
  it('the generated events and patterns yield both outcomes often (the property is not vacuous)', () => {
    const outcomes = fc.sample(fc.tuple(expr, event), { numRuns: 400, seed: 7 }).map(([ast, e]) => referenceEval(ast, e));
    const matched = outcomes.filter(Boolean).length;
    // About one in eight matches: hundreds of matching cases over the property's 1500 runs.
    expect(matched).toBeGreaterThan(30);
    expect(matched).toBeLessThan(360);
  });

  it('parse(print(ast)) evaluates as the reference evaluates ast', () => {
    fc.assert(
      fc.property(expr, fc.array(event, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(), (ast, events, bare, extraParens) => {
        fc.pre(regexTerms(ast) <= 2);
        const text = printJson(ast, { bare, extraParens });
        const pattern = parseFilterPattern(text);
        for (const e of events) {
          const message = JSON.stringify(e);
          expect(matchLogEvent(pattern, prepareLogEvent(message)) !== undefined, `${text} on ${message}`).toBe(referenceEval(ast, e));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('printing and parsing keeps the tree of && and ||', () => {
    fc.assert(
      fc.property(expr, fc.boolean(), (ast, extraParens) => {
        fc.pre(regexTerms(ast) <= 2);
        const parsed = parsePatternAst(printJson(ast, { bare: false, extraParens })).ast;
        expect(parsed.kind === 'json' && shape(parsed.expr)).toEqual(shape(ast));
      }),
      { numRuns: 500 },
    );
  });

  it('a text pattern of quoted terms matches as plain substring tests', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '"', '-'), minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 2 }), fc.array(word, { maxLength: 2 }), fc.array(word, { maxLength: 2 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '"', '-'), maxLength: 12 }), (required, excluded, optional, message) => {
        const text = [...required.map((t) => printTextTerm({ kind: 'literal', text: t })), ...excluded.map((t) => '-' + printTextTerm({ kind: 'literal', text: t })), ...optional.map((t) => '?' + printTextTerm({ kind: 'literal', text: t }))].join(' ');
        const expected = required.every((t) => message.includes(t)) && !excluded.some((t) => message.includes(t)) && (optional.length === 0 || optional.some((t) => message.includes(t)));
        expect(matchLogEvent(parseFilterPattern(text), message) !== undefined, text).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('the parser throws only FilterPatternError, at a position inside the pattern', () => {
    const pieces = fc.constantFrom('{', '}', '(', ')', '[', ']', '$', '.', 'a', '1', '=', '!', '<', '>', '&&', '||', '&', '|', '"', '%', '*', ' ', '-', '?', '\\', ',', 'e', '...', 'IS', 'NOT', 'NULL', 'EXISTS', 'TRUE', '$.a', '[0]', '%a%');
    const input = fc.oneof(fc.array(pieces, { maxLength: 25 }).map((p) => p.join('')), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(input, fc.string({ maxLength: 30 }), (source, message) => {
        let pattern;
        try {
          pattern = parseFilterPattern(source);
        } catch (e) {
          expect(e).toBeInstanceOf(FilterPatternError);
          const position = (e as FilterPatternError).position;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(source.length);
          return;
        }
        // A pattern that parses also evaluates without throwing, on any message.
        matchLogEvent(pattern, message);
        matchLogEvent(pattern, JSON.stringify({ a: message }));
      }),
      { numRuns: 3000 },
    );
  });
});

function shape(e: JsonExpr): unknown {
  if (e.type === 'and' || e.type === 'or') return [e.type, shape(e.left), shape(e.right)];
  return 'selector' in e ? e.selector.text : undefined;
}
