/**
 * Parsing a statement's `Condition` element into the form evaluation uses. Everything is checked
 * here, so that evaluation never meets a condition it cannot decide: the operator and key must be
 * known, the operator must suit the key (IpAddress on aws:username could never match, so it is a
 * mistake worth reporting), and each value must have its operator's form. The document's size
 * limit bounds how many operators, keys and values a block can hold.
 */
import { isObject } from '../../core/is-object.js';
import { looksLikeArn } from './arn-match.js';
import { CONDITION_KEY_NAMES, conditionKeyNamed } from './condition-keys.js';
import type { ConditionKey } from './condition-keys.js';
import { parseDateValue } from './date-value.js';
import { parseAddressRange } from './ip-match.js';
import type { AddressRange } from './ip-match.js';
import { parseOperator } from './operators.js';
import type { Operator, OperatorFamily } from './operators.js';
import { own, PolicyError } from './parse-support.js';
import { hasVariables, parseTemplate } from './policy-variables.js';
import type { Template } from './policy-variables.js';
import type { ConditionBlock, ConditionValue } from './types.js';

/** An operator's policy values, parsed for their family. */
export type CompiledValues =
  | { readonly family: 'String' | 'Arn'; readonly templates: readonly Template[] }
  | { readonly family: 'Numeric'; readonly numbers: readonly number[] }
  | { readonly family: 'Date'; readonly times: readonly number[] }
  | { readonly family: 'Bool' | 'Null'; readonly bools: readonly boolean[] }
  | { readonly family: 'Ip'; readonly ranges: readonly AddressRange[] };

/** One operator applied to one key: `"StringEquals": {"aws:username": ["a", "b"]}`. */
export interface ConditionTest {
  readonly operator: Operator;
  readonly key: ConditionKey;
  readonly values: CompiledValues;
}

/** All tests of a Condition element; the statement applies when every one holds. */
export type CompiledCondition = readonly ConditionTest[];

/** The block in the author's form (copied), and compiled. Throws PolicyError. */
export function parseCondition(raw: unknown, variablesActive: boolean): { block: ConditionBlock; compiled: CompiledCondition } {
  if (!isObject(raw)) {
    throw new PolicyError('Condition must be an object of operators, e.g. {"Bool": {"aws:SecureTransport": "true"}}');
  }
  const block: ConditionBlock = {};
  const compiled: ConditionTest[] = [];
  for (const operatorName of Object.keys(raw)) {
    const operator = parseOperator(operatorName);
    const keys = own(raw, operatorName);
    if (!isObject(keys) || Object.keys(keys).length === 0) {
      throw new PolicyError(`Condition operator "${operatorName}" must map one or more condition keys to values`);
    }
    const entries: Record<string, ConditionValue | ConditionValue[]> = {};
    for (const keyName of Object.keys(keys)) {
      const key = conditionKeyNamed(keyName);
      if (key === undefined) throw new PolicyError(`unknown Condition key "${keyName}"`);
      checkSuits(operatorName, operator, key);
      const written = own(keys, keyName);
      const values = valueList(written, `Condition ${operatorName} on ${keyName}`);
      entries[keyName] = Array.isArray(written) ? [...values] : (values[0] as ConditionValue);
      compiled.push({ operator, key, values: compileValues(operator, values, `Condition ${operatorName} on ${keyName}`, variablesActive) });
    }
    block[operatorName] = entries;
  }
  return { block, compiled };
}

/** Compiles a block already in the author's form; throws PolicyError when it would not parse. */
export function compileCondition(block: ConditionBlock, variablesActive: boolean): CompiledCondition {
  return parseCondition(block, variablesActive).compiled;
}

function checkSuits(operatorName: string, operator: Operator, key: ConditionKey): void {
  const family = operator.base.family;
  if (family === 'String' || family === 'Null' || key.kinds.includes(family)) return;
  const suitable = CONDITION_KEY_NAMES.filter((name) => conditionKeyNamed(name)?.kinds.includes(family));
  throw new PolicyError(`Condition operator "${operatorName}" cannot test ${key.name}; it applies to ${suitable.join(', ')}`);
}

function valueList(written: unknown, where: string): readonly ConditionValue[] {
  const list = Array.isArray(written) ? written : [written];
  if (list.length === 0 || !list.every(isScalar)) {
    throw new PolicyError(`${where} must be a string, number or boolean, or a non-empty array of them`);
  }
  return list;
}

function isScalar(value: unknown): value is ConditionValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function compileValues(operator: Operator, values: readonly ConditionValue[], where: string, variablesActive: boolean): CompiledValues {
  const family: OperatorFamily = operator.base.family;
  const each = <T>(parse: (value: ConditionValue) => T | undefined, expected: string): T[] =>
    values.map((value) => {
      const parsed = parse(value);
      if (parsed === undefined) throw new PolicyError(`${where}: ${JSON.stringify(value)} is not ${expected}`);
      return parsed;
    });
  switch (family) {
    case 'String':
      return { family, templates: values.map((value) => withWhere(where, () => parseTemplate(String(value), variablesActive))) };
    case 'Arn':
      return { family, templates: each((value) => arnTemplate(value, where, variablesActive), 'an ARN (arn:partition:service:region:account:resource)') };
    case 'Numeric':
      return { family, numbers: each(parseNumber, 'a number') };
    case 'Date':
      return { family, times: each(parseDateValue, 'a date (ISO 8601, or epoch seconds)') };
    case 'Bool':
    case 'Null':
      return { family, bools: each(parseBool, '"true" or "false"') };
    case 'Ip':
      return { family, ranges: each((value) => (typeof value === 'string' ? parseAddressRange(value) : undefined), 'an IP address or CIDR') };
  }
}

function arnTemplate(value: ConditionValue, where: string, variablesActive: boolean): Template | undefined {
  if (typeof value !== 'string') return undefined;
  const template = withWhere(where, () => parseTemplate(value, variablesActive));
  // With a variable in it, the parts are only known per request (${aws:PrincipalArn} is a whole ARN).
  return hasVariables(template) || looksLikeArn(value) ? template : undefined;
}

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

function parseNumber(value: ConditionValue): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER.test(value) ? Number(value) : undefined;
}

function parseBool(value: ConditionValue): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** Puts the condition's place in front of a policy variable's message. */
function withWhere<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(`${where}: ${error.message}`);
    throw error;
  }
}
