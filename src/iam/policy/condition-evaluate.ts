/**
 * Deciding a compiled Condition for a request, with IAM's logic: every test must hold (AND);
 * a test holds when the request's value matches any of its policy values (OR), or, for a negated
 * operator, matches none of them. A key absent from the request makes a test false, except that
 * negated operators and `...IfExists` then hold, and `Null` is about presence itself.
 * `ForAllValues:` holds for an absent key (every one of no values matches); `ForAnyValue:` does
 * not (unless IfExists). OpenTrail's keys are single-valued, so their value set has one member.
 */
import { arnMatches } from './arn-match.js';
import type { CompiledCondition, CompiledValues, ConditionTest } from './condition-parse.js';
import type { ConditionKey } from './condition-keys.js';
import { matchGlobPattern } from './glob.js';
import { addressInRange } from './ip-match.js';
import type { Comparison } from './operators.js';
import { resolveGlob, resolveText } from './policy-variables.js';
import type { RequestContext } from './types.js';

/** Whether every test of `condition` holds for `context` (no context: every key is absent). */
export function conditionHolds(condition: CompiledCondition, context: RequestContext | undefined): boolean {
  return condition.every((test) => testHolds(test, context));
}

function testHolds(test: ConditionTest, context: RequestContext | undefined): boolean {
  const { operator, key, values } = test;
  const present = context !== undefined && key.text(context) !== undefined;
  if (values.family === 'Null') return values.bools.some((wantsAbsent) => wantsAbsent === !present);
  if (context === undefined || !present) {
    if (operator.ifExists) return true;
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return operator.base.negated;
  }
  // One value in the request's set: ForAnyValue and ForAllValues both reduce to it.
  const matchesAny = anyValueMatches(values, operator.base.comparison, key, context);
  return operator.base.negated ? !matchesAny : matchesAny;
}

function anyValueMatches(values: CompiledValues, comparison: Comparison, key: ConditionKey, context: RequestContext): boolean {
  switch (values.family) {
    case 'String': {
      const actual = key.text(context) ?? '';
      return values.templates.some((template) => {
        if (comparison === 'like') {
          const pattern = resolveGlob(template, context);
          return pattern !== undefined && matchGlobPattern(pattern, actual);
        }
        const expected = resolveText(template, context);
        if (expected === undefined) return false;
        return comparison === 'equalsIgnoreCase' ? expected.toLowerCase() === actual.toLowerCase() : expected === actual;
      });
    }
    case 'Arn': {
      const actual = key.text(context) ?? '';
      return values.templates.some((template) => {
        const pattern = resolveGlob(template, context);
        return pattern !== undefined && arnMatches(pattern, actual);
      });
    }
    case 'Numeric': {
      const actual = key.number?.(context);
      return actual !== undefined && values.numbers.some((expected) => compareOrdered(comparison, actual, expected));
    }
    case 'Date': {
      const actual = key.timeMs?.(context);
      return actual !== undefined && values.times.some((expected) => compareOrdered(comparison, actual, expected));
    }
    case 'Bool': {
      const actual = key.bool?.(context);
      return actual !== undefined && values.bools.includes(actual);
    }
    case 'Ip': {
      const actual = key.text(context) ?? '';
      return values.ranges.some((range) => addressInRange(actual, range));
    }
    case 'Null':
      // Decided on presence alone, before values are compared.
      return false;
  }
}

/** `actual <op> expected`, the request's value on the left as IAM reads "DateLessThan". */
function compareOrdered(comparison: Comparison, actual: number, expected: number): boolean {
  switch (comparison) {
    case 'lessThan':
      return actual < expected;
    case 'lessThanEquals':
      return actual <= expected;
    case 'greaterThan':
      return actual > expected;
    case 'greaterThanEquals':
      return actual >= expected;
    default:
      return actual === expected;
  }
}
