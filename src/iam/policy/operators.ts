/**
 * The condition operators OpenTrail evaluates, and how an operator's full name breaks down:
 * an optional set prefix (`ForAnyValue:` / `ForAllValues:`), the base operator, and an optional
 * `IfExists` suffix. Operator names are case-sensitive. Anything else is refused at parse time.
 */
import { PolicyError } from './parse-support.js';

/** What the policy values of an operator are, and so how they are parsed and compared. */
export type OperatorFamily = 'String' | 'Arn' | 'Numeric' | 'Date' | 'Bool' | 'Ip' | 'Null';

export type Comparison =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'like'
  | 'lessThan'
  | 'lessThanEquals'
  | 'greaterThan'
  | 'greaterThanEquals';

export interface BaseOperator {
  readonly name: string;
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  /** Matches when no policy value matches (StringNotEquals, NotIpAddress, ...). */
  readonly negated: boolean;
}

export type SetPrefix = 'ForAnyValue' | 'ForAllValues';

export interface Operator {
  readonly base: BaseOperator;
  readonly set: SetPrefix | undefined;
  /** `...IfExists`: true when the key is absent, otherwise the base operator's answer. */
  readonly ifExists: boolean;
}

const op = (name: string, family: OperatorFamily, comparison: Comparison, negated = false): BaseOperator => ({
  name,
  family,
  comparison,
  negated,
});

const ordered = (family: 'Numeric' | 'Date'): BaseOperator[] => [
  op(`${family}Equals`, family, 'equals'),
  op(`${family}NotEquals`, family, 'equals', true),
  op(`${family}LessThan`, family, 'lessThan'),
  op(`${family}LessThanEquals`, family, 'lessThanEquals'),
  op(`${family}GreaterThan`, family, 'greaterThan'),
  op(`${family}GreaterThanEquals`, family, 'greaterThanEquals'),
];

const BASE_OPERATORS: readonly BaseOperator[] = [
  op('StringEquals', 'String', 'equals'),
  op('StringNotEquals', 'String', 'equals', true),
  op('StringEqualsIgnoreCase', 'String', 'equalsIgnoreCase'),
  op('StringNotEqualsIgnoreCase', 'String', 'equalsIgnoreCase', true),
  op('StringLike', 'String', 'like'),
  op('StringNotLike', 'String', 'like', true),
  // IAM gives ArnEquals the same segment-wise wildcard matching as ArnLike.
  op('ArnEquals', 'Arn', 'like'),
  op('ArnNotEquals', 'Arn', 'like', true),
  op('ArnLike', 'Arn', 'like'),
  op('ArnNotLike', 'Arn', 'like', true),
  op('Bool', 'Bool', 'equals'),
  op('IpAddress', 'Ip', 'equals'),
  op('NotIpAddress', 'Ip', 'equals', true),
  ...ordered('Date'),
  ...ordered('Numeric'),
  op('Null', 'Null', 'equals'),
];

const BY_NAME: ReadonlyMap<string, BaseOperator> = new Map(BASE_OPERATORS.map((base) => [base.name, base]));
const IF_EXISTS = 'IfExists';

/** Every supported base operator's name (each also takes `IfExists` and a set prefix, but Null). */
export const OPERATOR_NAMES: readonly string[] = BASE_OPERATORS.map((base) => base.name);

/** Breaks an operator name such as `ForAnyValue:StringLikeIfExists` down; throws PolicyError. */
export function parseOperator(text: string): Operator {
  let rest = text;
  let set: SetPrefix | undefined;
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
      break;
    }
  }
  let base = BY_NAME.get(rest);
  let ifExists = false;
  if (base === undefined && rest.endsWith(IF_EXISTS)) {
    base = BY_NAME.get(rest.slice(0, -IF_EXISTS.length));
    ifExists = base !== undefined;
  }
  if (base === undefined) throw new PolicyError(`unknown Condition operator "${text}"${suggestion(text)}`);
  if (base.family === 'Null' && (ifExists || set !== undefined)) {
    throw new PolicyError(`Condition operator "${text}": Null takes neither IfExists nor ForAnyValue/ForAllValues`);
  }
  return { base, set, ifExists };
}

/** A hint for the commonest mistake, the wrong letter case ("stringEquals"). */
function suggestion(text: string): string {
  const lower = text.toLowerCase();
  for (const prefix of ['', 'ForAnyValue:', 'ForAllValues:']) {
    for (const suffix of ['', IF_EXISTS]) {
      for (const name of OPERATOR_NAMES) {
        const candidate = `${prefix}${name}${suffix}`;
        if (candidate.toLowerCase() === lower) return ` (did you mean "${candidate}"?)`;
      }
    }
  }
  return '';
}
