import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { parsePolicy } from './parse.js';
import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement, RequestContext } from './types.js';

const ACCOUNT = '123456789012';
const CHANNEL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/alice-events`;
const context: RequestContext = {
  currentTimeMs: Date.UTC(2024, 4, 1),
  sourceIp: '10.1.2.3',
  userName: 'alice',
  userId: 'AIDAALICE',
  principalAccount: ACCOUNT,
  principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  principalType: 'User',
  secureTransport: true,
};

function parsed(...statements: PolicyStatement[]): PolicyDocument {
  const result = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  if (!result.ok) throw new Error(result.message);
  return result.policy;
}

const allowAll: PolicyStatement = { Effect: 'Allow', Action: '*', Resource: '*' };
const request = (extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  action: 'cloudtrail-data:PutAuditEvents',
  resource: CHANNEL,
  context,
  ...extra,
});

interface Case {
  name: string;
  policies: PolicyDocument[];
  request: AuthorizationRequest;
  expected: Decision;
}

const cases: Case[] = [
  {
    name: 'an Allow whose condition holds',
    policies: [parsed({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })],
    request: request(),
    expected: 'Allow',
  },
  {
    name: 'an Allow whose condition fails does not apply',
    policies: [parsed({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } } })],
    request: request(),
    expected: 'ImplicitDeny',
  },
  {
    name: 'a Deny outside the corporate network',
    policies: [parsed(allowAll, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.168.0.0/16' } } })],
    request: request(),
    expected: 'ExplicitDeny',
  },
  {
    name: 'a Deny without TLS does not hit a TLS request',
    policies: [parsed(allowAll, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
    request: request(),
    expected: 'Allow',
  },
  {
    name: 'a Deny unless MFA (BoolIfExists) hits long-term keys, which carry no MFA key',
    policies: [parsed(allowAll, { Effect: 'Deny', Action: 'cloudtrail:Delete*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })],
    request: request({ action: 'cloudtrail:DeleteTrail' }),
    expected: 'ExplicitDeny',
  },
  {
    name: 'a resource with ${aws:username}',
    policies: [parsed({ Effect: 'Allow', Action: 'cloudtrail-data:*', Resource: 'arn:aws:cloudtrail:*:${aws:PrincipalAccount}:channel/${aws:username}-*' })],
    request: request(),
    expected: 'Allow',
  },
  {
    name: 'a resource with ${aws:username} for another user',
    policies: [parsed({ Effect: 'Allow', Action: 'cloudtrail-data:*', Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:username}-*' })],
    request: request({ context: { ...context, userName: 'bob' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'a resource variable whose key is absent matches nothing',
    policies: [parsed({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:username}-*' })],
    request: request({ context: { ...context, userName: undefined } }),
    expected: 'ImplicitDeny',
  },
  {
    name: 'a substituted value cannot act as a wildcard',
    policies: [parsed({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:username}' })],
    request: request({ context: { ...context, userName: '*' } }),
    expected: 'ImplicitDeny',
  },
  {
    name: '"${" is literal text in a 2008-10-17 document',
    policies: [{ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:cloudtrail:*:*:channel/${aws:username}' }] }],
    request: request({ resource: 'arn:aws:cloudtrail:us-east-1:1:channel/${aws:username}' }),
    expected: 'Allow',
  },
];

describe('evaluate with conditions', () => {
  it.each(cases)('$name', ({ policies, request: req, expected }) => {
    expect(evaluate(req, policies)).toBe(expected);
  });
});

describe('evaluate without a context (every key absent)', () => {
  const noContext = { action: 'cloudtrail:LookupEvents', resource: '*' };
  it.each<[string, PolicyStatement, Decision]>([
    ['an Allow with a plain condition does not apply', { ...allowAll, Condition: { StringEquals: { 'aws:username': 'alice' } } }, 'ImplicitDeny'],
    ['an Allow with IfExists applies', { ...allowAll, Condition: { StringEqualsIfExists: { 'aws:username': 'alice' } } }, 'Allow'],
    ['an Allow with Null true applies', { ...allowAll, Condition: { Null: { 'aws:SourceIp': 'true' } } }, 'Allow'],
    ['an Allow with Null false does not apply', { ...allowAll, Condition: { Null: { 'aws:SourceIp': 'false' } } }, 'ImplicitDeny'],
    ['a Deny with a negated operator applies, as for any absent key', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }, 'ExplicitDeny'],
    ['a Deny with a plain condition does not apply', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, 'Allow'],
  ])('%s', (_name, statement, expected) => {
    const policies = statement.Effect === 'Deny' ? [parsed(allowAll, statement)] : [parsed(statement)];
    expect(evaluate(noContext, policies)).toBe(expected);
  });
});

describe('evaluate with hand-built documents that parsePolicy would refuse', () => {
  const badCondition = { Bogus: { 'aws:username': 'x' } };
  it('fails closed: such a condition never lets an Allow apply', () => {
    expect(evaluate(request(), [{ Statement: [{ ...allowAll, Condition: badCondition }] }])).toBe('ImplicitDeny');
  });
  it('fails closed: such a condition always lets a Deny apply', () => {
    expect(evaluate(request(), [{ Statement: [allowAll, { Effect: 'Deny', Action: '*', Resource: '*', Condition: badCondition }] }])).toBe('ExplicitDeny');
  });
  it('fails closed on an unknown resource variable, for NotResource too', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:cloudtrail:*:*:channel/${aws:nope}' };
    expect(evaluate(request(), [{ Version: '2012-10-17', Statement: [allowAll, deny] }])).toBe('ExplicitDeny');
    const allow: PolicyStatement = { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:cloudtrail:*:*:channel/${aws:nope}' };
    expect(evaluate(request(), [{ Version: '2012-10-17', Statement: [allow] }])).toBe('ImplicitDeny');
  });
});
