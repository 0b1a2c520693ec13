/**
 * The AST turned into closures once, when the pattern is parsed: matching an event then does
 * no dispatch on node kinds, only the comparisons themselves.
 */
import type { DelimitedField, FieldCondition, JsonExpr, NumericOp, PatternAst, TextTerm, ValueTest } from './ast.js';
import { Cursor } from './cursor.js';
import type { LogEventMatch, LogValue } from './index.js';
import { readSelector } from './json-parser.js';
import { asLogValue, NOT_JSON, valueAt, type LogEvent } from './log-event.js';
import { parseNumber } from './values.js';

export type Matcher = (event: LogEvent) => LogEventMatch | undefined;

export function compile(ast: PatternAst): Matcher {
  switch (ast.kind) {
    case 'all':
      return jsonReader;
    case 'json': {
      const test = compileJson(ast.expr);
      return (event) => {
        const root = event.json;
        return root !== NOT_JSON && test(root) ? jsonReader(event) : undefined;
      };
    }
    case 'text': {
      const test = compileText(ast);
      return (event) => (test(event.message) ? jsonReader(event) : undefined);
    }
    case 'delimited':
      return compileDelimited(ast.fields);
  }
}

// ---- values -------------------------------------------------------------------------------

function stringMatcher(test: Extract<ValueTest, { kind: 'string' }>): (s: string) => boolean {
  const { text } = test;
  if (test.leadingWildcard && test.trailingWildcard) return (s) => s.includes(text);
  if (test.leadingWildcard) return (s) => s.endsWith(text);
  if (test.trailingWildcard) return (s) => s.startsWith(text);
  return (s) => s === text;
}

function numberMatcher(op: NumericOp, n: number): (x: number) => boolean {
  switch (op) {
    case '=':
      return (x) => x === n;
    case '!=':
      return (x) => x !== n;
    case '<':
      return (x) => x < n;
    case '>':
      return (x) => x > n;
    case '<=':
      return (x) => x <= n;
    case '>=':
      return (x) => x >= n;
  }
}

/**
 * A test of a JSON value. Strings compare only with strings and numbers only with numbers; a
 * value of the other type, an absent one, or an object/array satisfies neither `=` nor `!=`.
 * `= *` is satisfied by any scalar but null (null is what IS NULL asks about).
 */
function jsonValueTest(test: ValueTest): (v: unknown) => boolean {
  switch (test.kind) {
    case 'string': {
      const m = stringMatcher(test);
      return test.op === '=' ? (v) => typeof v === 'string' && m(v) : (v) => typeof v === 'string' && !m(v);
    }
    case 'number': {
      const m = numberMatcher(test.op, test.value);
      return (v) => typeof v === 'number' && m(v);
    }
    case 'regex': {
      const r = new RegExp(test.source);
      return test.op === '=' ? (v) => typeof v === 'string' && r.test(v) : (v) => typeof v === 'string' && !r.test(v);
    }
    case 'present':
      return test.op === '=' ? (v) => v !== undefined && v !== null && typeof v !== 'object' : () => false;
  }
}

/** A test of a space-delimited field (always text): numeric tests need the field to be a number. */
function fieldValueTest(test: ValueTest): (s: string) => boolean {
  switch (test.kind) {
    case 'string': {
      const m = stringMatcher(test);
      return test.op === '=' ? m : (s) => !m(s);
    }
    case 'number': {
      const m = numberMatcher(test.op, test.value);
      return (s) => {
        const n = parseNumber(s);
        return n !== undefined && m(n);
      };
    }
    case 'regex': {
      const r = new RegExp(test.source);
      return test.op === '=' ? (s) => r.test(s) : (s) => !r.test(s);
    }
    case 'present':
      return test.op === '=' ? () => true : () => false;
  }
}

// ---- JSON ---------------------------------------------------------------------------------

function compileJson(expr: JsonExpr): (root: unknown) => boolean {
  switch (expr.type) {
    case 'and': {
      const left = compileJson(expr.left);
      const right = compileJson(expr.right);
      return (root) => left(root) && right(root);
    }
    case 'or':
      return compileAnyOf(flattenOr(expr));
    case 'compare': {
      const read = pathReader(expr.selector.path);
      const test = jsonValueTest(expr.test);
      return (root) => test(read(root));
    }
    case 'is': {
      const read = pathReader(expr.selector.path);
      switch (expr.what) {
        case 'null':
          return (root) => read(root) === null;
        case 'true':
          return (root) => read(root) === true;
        case 'false':
          return (root) => read(root) === false;
        case 'notExists':
          return (root) => read(root) === undefined;
      }
    }
  }
}

function flattenOr(expr: JsonExpr): JsonExpr[] {
  return expr.type === 'or' ? [...flattenOr(expr.left), ...flattenOr(expr.right)] : [expr];
}

/**
 * `||` of many exact string equalities on one selector (the CIS filters list up to 18 event
 * names) becomes one read and one Set lookup; the other alternatives keep their closures. The
 * alternatives have no effects, so testing them in another order changes nothing.
 */
function compileAnyOf(alternatives: readonly JsonExpr[]): (root: unknown) => boolean {
  const sets = new Map<string, { path: readonly (string | number)[]; values: Set<string> }>();
  const others: ((root: unknown) => boolean)[] = [];
  for (const alt of alternatives) {
    if (alt.type === 'compare' && alt.test.kind === 'string' && alt.test.op === '=' && !alt.test.leadingWildcard && !alt.test.trailingWildcard) {
      const entry = sets.get(alt.selector.text) ?? { path: alt.selector.path, values: new Set<string>() };
      entry.values.add(alt.test.text);
      sets.set(alt.selector.text, entry);
    } else {
      others.push(compileJson(alt));
    }
  }
  const tests = [
    ...[...sets.values()].map(({ path, values }): ((root: unknown) => boolean) => {
      const read = pathReader(path);
      return (root) => {
        const v = read(root);
        return typeof v === 'string' && values.has(v);
      };
    }),
    ...others,
  ];
  const [first, second] = tests;
  if (tests.length === 1 && first !== undefined) return first;
  if (tests.length === 2 && first !== undefined && second !== undefined) return (root) => first(root) || second(root);
  return (root) => {
    for (const test of tests) if (test(root)) return true;
    return false;
  };
}

/** Paths of one or two names (most of CloudTrail's: `$.eventName`, `$.userIdentity.type`) without the loop. */
function pathReader(path: readonly (string | number)[]): (root: unknown) => unknown {
  const [a, b] = path;
  if (path.length === 1 && typeof a === 'string') return (root) => ownField(root, a);
  if (path.length === 2 && typeof a === 'string' && typeof b === 'string') return (root) => ownField(ownField(root, a), b);
  return (root) => valueAt(root, path);
}

function ownField(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
  return (value as Record<string, unknown>)[name];
}

const selectorPaths = new Map<string, readonly (string | number)[] | null>();

/** `$.a.b[0]` → its path, parsed once per distinct selector text; null when it is not one. */
function selectorPath(selector: string): readonly (string | number)[] | null {
  let path = selectorPaths.get(selector);
  if (path === undefined) {
    path = null;
    if (selector.startsWith('$.') || selector.startsWith('$[')) {
      const cursor = new Cursor(selector);
      try {
        const parsed = readSelector(cursor);
        if (cursor.atEnd) path = parsed.path;
      } catch {
        path = null;
      }
    }
    if (selectorPaths.size < 10_000) selectorPaths.set(selector, path);
  }
  return path;
}

function jsonValueOf(event: LogEvent, selector: string): LogValue | undefined {
  const path = selectorPath(selector);
  if (path === null) return undefined;
  const root = event.json;
  return root === NOT_JSON ? undefined : asLogValue(valueAt(root, path));
}

/** The match of a JSON, text or empty pattern: selectors read the message's JSON, if it has any. */
function jsonReader(event: LogEvent): LogEventMatch {
  return { valueOf: (selector) => jsonValueOf(event, selector) };
}

// ---- text ---------------------------------------------------------------------------------

/**
 * Terms are case-sensitive substrings of the message, not whole words: CloudWatch's docs say
 * a pattern matches events that "contain" its terms and show `ERROR` matching `[ERROR 400]`,
 * and users report that `?error` counts `returned error` inside longer text; nothing public
 * describes tokenising on word boundaries. So `ERROR` also matches `ERRORS`.
 * Plain terms must all occur, `-` terms none, and `?` terms (when there are any) at least one.
 */
function compileText(ast: Extract<PatternAst, { kind: 'text' }>): (message: string) => boolean {
  const required = ast.required.map(termTest);
  const excluded = ast.excluded.map(termTest);
  const optional = ast.optional.map(termTest);
  return (message) => {
    for (const t of required) if (!t(message)) return false;
    for (const t of excluded) if (t(message)) return false;
    if (optional.length === 0) return true;
    for (const t of optional) if (t(message)) return true;
    return false;
  };
}

function termTest(term: TextTerm): (message: string) => boolean {
  if (term.kind === 'regex') {
    const r = new RegExp(term.source);
    return (message) => r.test(message);
  }
  const { text } = term;
  return (message) => message.includes(text);
}

// ---- space-delimited ----------------------------------------------------------------------

interface CompiledField {
  ellipsis: boolean;
  key: string;
  test: ((s: string) => boolean) | undefined;
}

function compileCondition(condition: FieldCondition): (s: string) => boolean {
  if (condition.type === 'test') return fieldValueTest(condition.test);
  const left = compileCondition(condition.left);
  const right = compileCondition(condition.right);
  return condition.type === 'and' ? (s) => left(s) && right(s) : (s) => left(s) || right(s);
}

/**
 * Without `...` the event must have exactly as many fields as the pattern; each `...` takes
 * any number of them. With several ellipses the alignment is searched (shortest skips first),
 * remembering failed (entry, field) pairs so that it stays polynomial.
 */
function compileDelimited(entries: readonly DelimitedField[]): Matcher {
  const specs: CompiledField[] = entries.map((entry) =>
    entry.kind === 'ellipsis' ? { ellipsis: true, key: '', test: undefined } : { ellipsis: false, key: entry.key, test: entry.condition === undefined ? undefined : compileCondition(entry.condition) },
  );
  // fixedAfter[i]: the fields that entries i.. need at least.
  const fixedAfter = new Array<number>(specs.length + 1).fill(0);
  for (let i = specs.length - 1; i >= 0; i--) fixedAfter[i] = (fixedAfter[i + 1] ?? 0) + (specs[i]?.ellipsis === true ? 0 : 1);
  const ellipses = specs.filter((s) => s.ellipsis).length;

  return (event) => {
    const fields = event.fields;
    const n = fields.length;
    const at = new Array<number>(specs.length);
    const failed = ellipses > 1 ? new Uint8Array((specs.length + 1) * (n + 1)) : undefined;
    const align = (si: number, fi: number): boolean => {
      const spec = specs[si];
      if (spec === undefined) return fi === n;
      if (failed !== undefined && failed[si * (n + 1) + fi] === 1) return false;
      let ok = false;
      if (spec.ellipsis) {
        const last = n - (fixedAfter[si + 1] ?? 0);
        for (let k = fi; k <= last && !ok; k++) ok = align(si + 1, k);
      } else if (fi < n && (spec.test === undefined || spec.test(fields[fi] ?? ''))) {
        at[si] = fi;
        ok = align(si + 1, fi + 1);
      }
      if (!ok && failed !== undefined) failed[si * (n + 1) + fi] = 1;
      return ok;
    };
    if (n < (fixedAfter[0] ?? 0) || !align(0, 0)) return undefined;
    const extractedValues: Record<string, string> = {};
    specs.forEach((spec, i) => {
      const fi = at[i];
      if (!spec.ellipsis && fi !== undefined) extractedValues[spec.key] = fields[fi] ?? '';
    });
    return {
      extractedValues,
      valueOf: (selector) => {
        if (selector.startsWith('$.') || selector.startsWith('$[')) return jsonValueOf(event, selector);
        return extractedValues[selector.startsWith('$') ? selector : `$${selector}`];
      },
    };
  };
}
