import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, POLICY_MAX_CHARACTERS, POLICY_MAX_RAW_CHARACTERS } from './parse.js';
import type { PolicyDocument, PolicyStatement } from './types.js';

const okStatement = { Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' };
const doc = (statement: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statement });

function failure(text: string): string {
  const result = parsePolicy(text);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.policy)}`);
  return result.message;
}

/** A syntactically fine document of exactly `length` characters, none of them whitespace. */
function documentOfLength(length: number): string {
  const base = doc(okStatement, { Id: '' });
  const text = doc(okStatement, { Id: 'x'.repeat(length - base.length) });
  expect(text).toHaveLength(length);
  return text;
}

describe('parsePolicy accepts', () => {
  it('a single statement object, normalised to an array', () => {
    expect(parsePolicy(doc(okStatement))).toEqual({
      ok: true,
      policy: { Version: '2012-10-17', Statement: [okStatement] },
    });
  });

  it('every element, keeping the string-or-array form the author used', () => {
    const statements = [
      { Sid: 'ReadTrails', Effect: 'Allow', Action: ['cloudtrail:Get*', 'cloudtrail:List*'], Resource: 'arn:aws:cloudtrail:*:*:trail/*' },
      { Sid: '', Effect: 'Deny', NotAction: 'cloudtrail:LookupEvents', NotResource: ['*'] },
    ];
    const result = parsePolicy(JSON.stringify({ Version: '2008-10-17', Id: 'my policy', Statement: statements }));
    expect(result).toEqual({ ok: true, policy: { Version: '2008-10-17', Id: 'my policy', Statement: statements } });
  });

  it('a document without Version', () => {
    expect(parsePolicy(JSON.stringify({ Statement: [okStatement] }))).toEqual({ ok: true, policy: { Statement: [okStatement] } });
  });

  it(`exactly ${POLICY_MAX_CHARACTERS} characters, and more when the rest is whitespace (IAM does not count it)`, () => {
    expect(parsePolicy(documentOfLength(POLICY_MAX_CHARACTERS)).ok).toBe(true);
    const padded = JSON.stringify(JSON.parse(documentOfLength(POLICY_MAX_CHARACTERS - 50)), null, 40);
    expect(padded.length).toBeGreaterThan(POLICY_MAX_CHARACTERS);
    expect(parsePolicy(padded).ok).toBe(true);
  });

  it('policy variables in resources, from version 2012-10-17 on', () => {
    const statement = { ...okStatement, Resource: 'arn:aws:cloudtrail:*:${aws:PrincipalAccount}:channel/${aws:username}-${*}' };
    expect(parsePolicy(doc(statement))).toEqual({ ok: true, policy: { Version: '2012-10-17', Statement: [statement] } });
  });

  it('a Condition, kept in the form the author wrote it', () => {
    const statement = {
      ...okStatement,
      Condition: {
        Bool: { 'aws:SecureTransport': true, 'aws:MultiFactorAuthPresent': 'true' },
        'ForAnyValue:StringLikeIfExists': { 'aws:username': ['a*', 'b?'] },
        NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
      },
    };
    expect(parsePolicy(doc(statement))).toEqual({ ok: true, policy: { Version: '2012-10-17', Statement: [statement] } });
  });

  it('"${" as literal text in versions without policy variables', () => {
    const statement = { ...okStatement, Resource: 'arn:aws:cloudtrail:*:*:trail/${x}' };
    expect(parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: statement })).ok).toBe(true);
    expect(parsePolicy(JSON.stringify({ Statement: statement })).ok).toBe(true);
  });
});

describe('parsePolicy rejects', () => {
  const cases: [string, string, string | RegExp][] = [
    ['non-JSON', '{"Version": "2012-10-17", Statement: []}', /^Policy document is not valid JSON: /],
    ['an empty text', '', /^Policy document is not valid JSON/],
    ['an array', '[]', 'Policy document must be a JSON object'],
    ['null', 'null', 'Policy document must be a JSON object'],
    ['a number', '42', 'Policy document must be a JSON object'],
    ['a string', '"policy"', 'Policy document must be a JSON object'],
    ['an 11000-character document', documentOfLength(11000), `Policy document is too large: 11000 characters; the limit is 10240 characters (not counting whitespace), IAM's largest, for a role's inline policies`],
    ['whitespace beyond the raw cap', `${' '.repeat(POLICY_MAX_RAW_CHARACTERS)}{}`, `Policy document is too large: ${POLICY_MAX_RAW_CHARACTERS + 2} characters; the limit is 131072 characters including whitespace`],
    ['a duplicate key', '{"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}}', 'Policy document has the key "Effect" more than once in the same object'],
    ['a duplicate key spelled with an escape', '{"Statement": {"Effect": "Deny", "\\u0045ffect": "Allow", "Action": "*", "Resource": "*"}}', 'Policy document has the key "Effect" more than once in the same object'],
    ['an unknown top-level key', doc(okStatement, { Statements: [] }), 'Unknown policy element "Statements"; allowed elements are Version, Id, Statement'],
    ['a "__proto__" key', '{"__proto__": {"x": 1}, "Statement": []}', 'Unknown policy element "__proto__"; allowed elements are Version, Id, Statement'],
    ['a wrong Version', doc(okStatement, { Version: '2012-10-18' }), 'Version must be "2012-10-17" or "2008-10-17"'],
    ['a numeric Version', doc(okStatement, { Version: 2012 }), 'Version must be "2012-10-17" or "2008-10-17"'],
    ['a non-string Id', doc(okStatement, { Id: 7 }), 'Id must be a string'],
    ['a missing Statement', '{"Version": "2012-10-17"}', 'Policy document must contain a Statement'],
    ['a string Statement', doc('Allow everything'), 'Statement must be a statement object or an array of them'],
    ['a null Statement', doc(null), 'Statement must be a statement object or an array of them'],
    ['an empty Statement array', doc([]), 'Statement must contain at least one statement'],
    ['a statement that is not an object', doc([okStatement, ['Allow']]), 'Statement[1] must be a JSON object'],
    ['Principal', doc({ ...okStatement, Principal: '*' }), 'Statement[0]: Principal is not allowed: OpenTrail policies are identity-based policies, attached to a user who is the principal'],
    ['NotPrincipal', doc({ ...okStatement, NotPrincipal: { AWS: '*' } }), 'Statement[0]: NotPrincipal is not allowed: OpenTrail policies are identity-based policies, attached to a user who is the principal'],
    ['an unknown condition operator', doc({ ...okStatement, Condition: { StringEqual: { 'aws:username': 'a' } } }), 'Statement[0]: unknown Condition operator "StringEqual"'],
    ['an unknown condition key on a Deny', doc([okStatement, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'true' } } }]), 'Statement[1]: unknown Condition key "aws:ViaAWSService"'],
    ['an unknown statement key', doc({ ...okStatement, Actions: ['*'] }), 'Statement[0]: unknown element "Actions"; allowed elements are Sid, Effect, Action, NotAction, Resource, NotResource, Condition'],
    ['a lower-case element name', doc({ effect: 'Allow', Action: '*', Resource: '*' }), 'Statement[0]: unknown element "effect"; allowed elements are Sid, Effect, Action, NotAction, Resource, NotResource, Condition'],
    ['a missing Effect', doc({ Action: '*', Resource: '*' }), 'Statement[0]: Effect is required ("Allow" or "Deny")'],
    ['a wrongly cased Effect', doc({ ...okStatement, Effect: 'allow' }), 'Statement[0]: Effect must be "Allow" or "Deny"'],
    ['a non-string Effect', doc({ ...okStatement, Effect: true }), 'Statement[0]: Effect must be "Allow" or "Deny"'],
    ['both Action and NotAction', doc({ ...okStatement, NotAction: 'cloudtrail:GetTrail' }), 'Statement[0]: use either Action or NotAction, not both'],
    ['neither Action nor NotAction', doc({ Effect: 'Allow', Resource: '*' }), 'Statement[0]: Action or NotAction is required'],
    ['both Resource and NotResource', doc({ ...okStatement, NotResource: '*' }), 'Statement[0]: use either Resource or NotResource, not both'],
    ['neither Resource nor NotResource', doc({ Effect: 'Allow', Action: '*' }), 'Statement[0]: Resource or NotResource is required'],
    ['an empty Action array', doc({ ...okStatement, Action: [] }), 'Statement[0]: Action must be a string or a non-empty array of strings'],
    ['a non-string action', doc({ ...okStatement, Action: ['cloudtrail:GetTrail', 7] }), 'Statement[0]: Action must be a string or a non-empty array of strings'],
    ['a nested NotResource array', doc({ Effect: 'Allow', Action: '*', NotResource: [['*']] }), 'Statement[0]: NotResource must be a string or a non-empty array of strings'],
    ['an action without a service prefix', doc({ ...okStatement, Action: 'LookupEvents' }), 'Statement[0]: action "LookupEvents" must be "*" or "service:action", e.g. "cloudtrail:LookupEvents"'],
    ['an empty action', doc({ ...okStatement, Action: '' }), 'Statement[0]: action "" must be "*" or "service:action", e.g. "cloudtrail:LookupEvents"'],
    ['a resource that is not an ARN', doc({ ...okStatement, Resource: 'trail/main' }), 'Statement[0]: resource "trail/main" must be "*" or an ARN, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:channel/*"'],
    ['a truncated ARN', doc({ ...okStatement, Resource: 'arn:aws:cloudtrail' }), 'Statement[0]: resource "arn:aws:cloudtrail" must be "*" or an ARN, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:channel/*"'],
    ['an unknown policy variable', doc({ ...okStatement, Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:usrname}' }), 'Statement[0]: unknown policy variable "${aws:usrname}"'],
    ['an unclosed policy variable', doc({ ...okStatement, Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:username' }), 'Statement[0]: "arn:aws:cloudtrail:*:*:channel/${aws:username" opens a policy variable with "${" but never closes it with "}"'],
    ['a Sid with punctuation', doc({ ...okStatement, Sid: 'read-only' }), 'Statement[0]: Sid must be a string of ASCII letters and digits'],
    ['a duplicate Sid', doc([{ ...okStatement, Sid: 'A' }, { ...okStatement, Sid: 'A' }]), 'Statement[1]: Sid "A" is used twice; Sids must be unique within a policy'],
  ];

  it.each(cases)('%s', (_name, text, message) => {
    if (typeof message === 'string') expect(failure(text)).toBe(message);
    else expect(failure(text)).toMatch(message);
  });

  it('deep nesting without throwing', () => {
    const depth = 3000; // within the size limit, deep enough to hurt a recursive parser
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(failure(nested)).toBe('Policy document must be a JSON object');
    expect(failure(doc({ ...okStatement, Action: JSON.parse(nested) as unknown }))).toBe(
      'Statement[0]: Action must be a string or a non-empty array of strings',
    );
    const objects = 1000; // six characters a level
    expect(failure(`{"Statement": ${'{"a":'.repeat(objects)}1${'}'.repeat(objects)}}`)).toBe(
      'Statement[0]: unknown element "a"; allowed elements are Sid, Effect, Action, NotAction, Resource, NotResource, Condition',
    );
    expect(failure('['.repeat(100_000))).toMatch(/^Policy document is too large/);
  });

  it('input that is not a string at all (from untyped callers)', () => {
    const inputs: unknown[] = [undefined, null, 42, {}, [], Symbol('x'), () => '{}'];
    for (const value of inputs) {
      expect(failure(value as string)).toBe('Policy document must be a JSON text (a string)');
    }
  });
});

describe('parsePolicy properties', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(typeof parsePolicy(text).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON, including near-policies', () => {
    const nearStatement = fc.dictionary(
      fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', '__proto__', 'constructor'),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('Allow', 'Deny', '*', 'cloudtrail:*', 'arn:aws:cloudtrail:*:*:trail/*')),
    );
    const nearPolicy = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ Version: fc.constantFrom('2012-10-17', '2008-10-17', 1), Statement: fc.oneof(nearStatement, fc.array(nearStatement)) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(nearPolicy, (value) => {
        const result = parsePolicy(JSON.stringify(value) ?? '');
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every valid document it generates', () => {
    const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));
    const action = fc.constantFrom('*', 'cloudtrail:*', 'cloudtrail:Get*', 'CloudTrail:lookupEvents', 'cloudtrail-data:Put?uditEvents');
    const resource = fc.constantFrom('*', 'arn:aws:cloudtrail:*:*:trail/*', 'arn:aws:cloudtrail:us-east-1:123456789012:channel/abc');
    const statement: fc.Arbitrary<PolicyStatement> = fc
      .record({
        Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
        negateAction: fc.boolean(),
        negateResource: fc.boolean(),
        actions: list(action),
        resources: list(resource),
      })
      .map(({ Effect, negateAction, negateResource, actions, resources }) => ({
        Effect,
        [negateAction ? 'NotAction' : 'Action']: actions,
        [negateResource ? 'NotResource' : 'Resource']: resources,
      }));
    const policy: fc.Arbitrary<PolicyDocument> = fc.record(
      { Version: fc.constantFrom<'2012-10-17' | '2008-10-17'>('2012-10-17', '2008-10-17'), Id: fc.string(), Statement: fc.array(statement, { minLength: 1, maxLength: 4 }) },
      { requiredKeys: ['Statement'] },
    );
    fc.assert(
      fc.property(policy, (document) => {
        expect(parsePolicy(JSON.stringify(document))).toEqual({ ok: true, policy: document });
      }),
      { numRuns: 1000 },
    );
  });
});
