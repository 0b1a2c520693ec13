/**
 * The parsed form of a filter pattern. The parsers build it, ./compile.ts turns it into
 * closures, and the tests print it back to text (test-support/print.ts).
 */

export type NumericOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** One comparison of a value, shared by JSON terms and space-delimited fields. */
export type ValueTest =
  /** `= "abc"`, `!= *Event`, `= Event*`: `*` only at the ends is a wildcard. */
  | { kind: 'string'; op: '=' | '!='; text: string; leadingWildcard: boolean; trailingWildcard: boolean }
  | { kind: 'number'; op: NumericOp; value: number; text: string }
  /** `%...%`: unanchored search. */
  | { kind: 'regex'; op: '=' | '!='; source: string }
  /** Bare `= *` (or `!= *`, which nothing satisfies). */
  | { kind: 'present'; op: '=' | '!=' };

/** `$.a.b[0]`: names and indices from the root of the message's JSON. */
export interface Selector {
  text: string;
  path: readonly (string | number)[];
}

export type JsonExpr =
  | { type: 'and' | 'or'; left: JsonExpr; right: JsonExpr }
  | { type: 'compare'; selector: Selector; test: ValueTest }
  | { type: 'is'; selector: Selector; what: 'null' | 'true' | 'false' | 'notExists' };

export type TextTerm = { kind: 'literal'; text: string } | { kind: 'regex'; source: string };

/** Field conditions of a space-delimited pattern: tests joined with && (tighter) and ||. */
export type FieldCondition =
  | { type: 'and' | 'or'; left: FieldCondition; right: FieldCondition }
  | { type: 'test'; test: ValueTest };

export type DelimitedField =
  | { kind: 'ellipsis' }
  /** `key`: `$name`, or `$<n>` for the n-th (1-based, ellipses not counted) field without a name. */
  | { kind: 'field'; name?: string; key: string; condition?: FieldCondition };

export type PatternAst =
  | { kind: 'all' }
  | { kind: 'json'; expr: JsonExpr }
  | { kind: 'text'; required: TextTerm[]; excluded: TextTerm[]; optional: TextTerm[] }
  | { kind: 'delimited'; fields: DelimitedField[] };
