import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionHolds } from './condition-evaluate.js';
import { parseCondition } from './condition-parse.js';
import { evaluate } from './evaluate.js';
import { parsePolicy } from './parse.js';
import type { ConditionBlock, PolicyDocument, RequestContext } from './types.js';

const holds = (block: unknown, context: RequestContext | undefined): boolean =>
  conditionHolds(parseCondition(block, true).compiled, context);

// Small pools, so that random values and requests match each other often.
const userName = fc.constantFrom('alice', 'bob', 'Alice', 'al?ce', 'a*', '*', 'ALICE');
const sourceIp = fc.constantFrom('10.1.2.3', '192.168.7.1', '203.0.113.9', '2001:db8::7', '::ffff:10.9.9.9', '::1');
const ipRange = fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '203.0.113.9', '0.0.0.0/0', '2001:db8::/32', '::1/128', '::/0');
const principalArn = fc.constantFrom('arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::999999999999:user/a:b');
const arnPattern = fc.constantFrom('arn:aws:iam::*:user/*', 'arn:aws:iam::123456789012:*', 'arn:aws:iam::*:role/adm?n', 'arn:*:*:*:*:*', 'arn:aws:iam::999999999999:user/a:*');
const seconds = fc.integer({ min: 1_600_000_000, max: 1_600_000_010 });
const mfaAge = fc.integer({ min: 0, max: 10 });

const context: fc.Arbitrary<RequestContext> = fc.record({
  currentTimeMs: seconds.map((s) => s * 1000),
  userName,
  sourceIp,
  principalArn,
  mfaAgeSeconds: mfaAge,
  mfaPresent: fc.boolean(),
  secureTransport: fc.boolean(),
});
const list = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

/** [positive, negated] operator pairs, each with a key and values that suit it. */
const pairs: fc.Arbitrary<{ positive: string; negated: string; key: string; values: unknown }> = fc.oneof(
  fc.record({ positive: fc.constant('StringEquals'), negated: fc.constant('StringNotEquals'), key: fc.constant('aws:username'), values: list(userName) }),
  fc.record({ positive: fc.constant('StringEqualsIgnoreCase'), negated: fc.constant('StringNotEqualsIgnoreCase'), key: fc.constant('aws:username'), values: list(userName) }),
  fc.record({ positive: fc.constant('StringLike'), negated: fc.constant('StringNotLike'), key: fc.constant('aws:username'), values: list(userName) }),
  fc.record({ positive: fc.constant('ArnLike'), negated: fc.constant('ArnNotLike'), key: fc.constant('aws:PrincipalArn'), values: list(arnPattern) }),
  fc.record({ positive: fc.constant('ArnEquals'), negated: fc.constant('ArnNotEquals'), key: fc.constant('aws:PrincipalArn'), values: list(arnPattern) }),
  fc.record({ positive: fc.constant('IpAddress'), negated: fc.constant('NotIpAddress'), key: fc.constant('aws:SourceIp'), values: list(ipRange) }),
  fc.record({ positive: fc.constant('DateEquals'), negated: fc.constant('DateNotEquals'), key: fc.constant('aws:CurrentTime'), values: list(seconds) }),
  fc.record({ positive: fc.constant('NumericEquals'), negated: fc.constant('NumericNotEquals'), key: fc.constant('aws:MultiFactorAuthAge'), values: list(mfaAge) }),
);

/** Any single test that parses: an operator (with or without IfExists / a set prefix), a key, values. */
const anyTest: fc.Arbitrary<{ operator: string; key: string; values: unknown }> = fc
  .tuple(pairs, fc.boolean(), fc.boolean(), fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'))
  .map(([pair, negate, ifExists, prefix]) => ({
    operator: `${prefix}${negate ? pair.negated : pair.positive}${ifExists ? 'IfExists' : ''}`,
    key: pair.key,
    values: pair.values,
  }));

/** Tests with distinct operator and key, so that a block holds each of them (JSON keys are unique). */
const tests = (maxLength: number, minLength = 0) =>
  fc.uniqueArray(anyTest, { minLength, maxLength, selector: (test) => `${test.operator} ${test.key}` });

const blockOf = (tests: { operator: string; key: string; values: unknown }[]): ConditionBlock => {
  const block: Record<string, Record<string, unknown>> = {};
  for (const { operator, key, values } of tests) (block[operator] ??= {})[key] = values;
  return block as ConditionBlock;
};

describe('condition properties', () => {
  it('a negated operator is the complement of its positive one when the key is present', () => {
    fc.assert(
      fc.property(pairs, context, ({ positive, negated, key, values }, ctx) => {
        expect(holds({ [negated]: { [key]: values } }, ctx)).toBe(!holds({ [positive]: { [key]: values } }, ctx));
      }),
      { numRuns: 2000 },
    );
  });

  it('IfExists is the base operator when the key is present, and true when it is absent', () => {
    fc.assert(
      fc.property(pairs, fc.boolean(), context, ({ positive, negated, key, values }, negate, ctx) => {
        const base = negate ? negated : positive;
        expect(holds({ [`${base}IfExists`]: { [key]: values } }, ctx)).toBe(holds({ [base]: { [key]: values } }, ctx));
        expect(holds({ [`${base}IfExists`]: { [key]: values } }, undefined)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('ForAnyValue and ForAllValues equal the plain operator for a present single-valued key', () => {
    fc.assert(
      fc.property(pairs, fc.boolean(), context, ({ positive, negated, key, values }, negate, ctx) => {
        const base = negate ? negated : positive;
        const plain = holds({ [base]: { [key]: values } }, ctx);
        expect(holds({ [`ForAnyValue:${base}`]: { [key]: values } }, ctx)).toBe(plain);
        expect(holds({ [`ForAllValues:${base}`]: { [key]: values } }, ctx)).toBe(plain);
      }),
      { numRuns: 1000 },
    );
  });

  it('exactly one of LessThan, Equals, GreaterThan holds, and the -Equals forms are their unions', () => {
    const families = fc.constantFrom(['Numeric', 'aws:MultiFactorAuthAge'] as const, ['Date', 'aws:EpochTime'] as const);
    fc.assert(
      fc.property(families, fc.oneof(mfaAge, seconds), context, ([family, key], value, ctx) => {
        const test = (name: string): boolean => holds({ [`${family}${name}`]: { [key]: value } }, ctx);
        expect([test('LessThan'), test('Equals'), test('GreaterThan')].filter(Boolean)).toHaveLength(1);
        expect(test('LessThanEquals')).toBe(test('LessThan') || test('Equals'));
        expect(test('GreaterThanEquals')).toBe(test('GreaterThan') || test('Equals'));
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order of operators or keys in the block', () => {
    fc.assert(
      fc.property(
        tests(5, 1).chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        fc.option(context, { nil: undefined }),
        ([original, shuffled], ctx) => {
          expect(holds(blockOf(shuffled), ctx)).toBe(holds(blockOf(original), ctx));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a Deny whose condition holds always wins, whatever else the policies say', () => {
    const statement = fc.record({
      Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      Action: fc.constantFrom('*', 'cloudtrail:*', 'cloudtrail:LookupEvents'),
      Resource: fc.constant('*'),
      Condition: tests(3).map(blockOf),
    });
    const policies = fc.array(fc.array(statement, { minLength: 1, maxLength: 3 }).map((Statement): PolicyDocument => ({ Version: '2012-10-17', Statement })), { maxLength: 3 });
    fc.assert(
      fc.property(policies, tests(3), context, (documents, denyTests, ctx) => {
        const condition = blockOf(denyTests);
        fc.pre(holds(condition, ctx));
        const deny: PolicyDocument = { Statement: [{ Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: condition }] };
        const request = { action: 'cloudtrail:LookupEvents', resource: '*', context: ctx };
        expect(evaluate(request, [...documents, deny])).toBe('ExplicitDeny');
        expect(evaluate(request, [deny, ...documents])).toBe('ExplicitDeny');
      }),
      { numRuns: 500 },
    );
  });

  it('every generated condition survives a parse and a write-out unchanged', () => {
    fc.assert(
      fc.property(tests(4, 1), (list) => {
        const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: blockOf(list) }] };
        expect(parsePolicy(JSON.stringify(document))).toEqual({ ok: true, policy: document });
      }),
      { numRuns: 500 },
    );
  });

  it('parsing never throws on condition-like JSON', () => {
    const operator = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('StringEquals', 'ForAnyValue:IpAddress', 'Null', 'NullIfExists', 'DateLessThanIfExists', 'Bool', '__proto__'));
    const key = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('aws:SourceIp', 'aws:CurrentTime', 'aws:username', 'constructor', 'sts:ExternalId'));
    const condition = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(operator, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(key, fc.jsonValue({ maxDepth: 1 })))));
    fc.assert(
      fc.property(condition, (value) => {
        const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: value } });
        expect(typeof parsePolicy(text).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
