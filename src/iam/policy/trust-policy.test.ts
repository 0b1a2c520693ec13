import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTrust } from './trust-evaluate.js';
import { parseTrustPolicy } from './trust-parse.js';
import type { PrincipalElement, TrustPolicyDocument, TrustPolicyStatement, TrustPrincipal, TrustRequest } from './trust-types.js';
import type { Decision, RequestContext } from './types.js';

const OURS = '123456789012';
const OTHER = '999999999999';
const alice: TrustPrincipal = { type: 'User', accountId: OURS, arn: `arn:aws:iam::${OURS}:user/alice` };
const bob: TrustPrincipal = { type: 'User', accountId: OURS, arn: `arn:aws:iam::${OURS}:user/bob` };
const outsider: TrustPrincipal = { type: 'User', accountId: OTHER, arn: `arn:aws:iam::${OTHER}:user/alice` };
// An assumed-role session is matched by its role's ARN.
const deployRole: TrustPrincipal = { type: 'AssumedRole', accountId: OTHER, arn: `arn:aws:iam::${OTHER}:role/ci/deploy` };
const context: RequestContext = { currentTimeMs: Date.UTC(2024, 4, 1), externalId: 'secret-42', roleSessionName: 'ci' };

function trust(...statements: TrustPolicyStatement[]): TrustPolicyDocument {
  const result = parseTrustPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  if (!result.ok) throw new Error(result.message);
  return result.policy;
}
const allowFor = (principal: TrustPolicyStatement['Principal'], extra: Partial<TrustPolicyStatement> = {}): TrustPolicyStatement => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...extra,
});
const assume = (principal: TrustPrincipal, extra: Partial<TrustRequest> = {}): TrustRequest => ({ principal, action: 'sts:AssumeRole', context, ...extra });

describe('evaluateTrust', () => {
  const cases: [string, TrustPolicyDocument, TrustRequest, Decision][] = [
    ['an account id trusts every principal of that account', trust(allowFor({ AWS: OURS })), assume(bob), 'Allow'],
    ['the account root ARN trusts every principal of that account', trust(allowFor({ AWS: `arn:aws:iam::${OURS}:root` })), assume(alice), 'Allow'],
    ['the account root ARN does not trust another account', trust(allowFor({ AWS: `arn:aws:iam::${OURS}:root` })), assume(outsider), 'ImplicitDeny'],
    ['an account id does not trust another account', trust(allowFor({ AWS: OURS })), assume(outsider), 'ImplicitDeny'],
    ['a user ARN trusts that user', trust(allowFor({ AWS: alice.arn })), assume(alice), 'Allow'],
    ['a user ARN does not trust another user', trust(allowFor({ AWS: alice.arn })), assume(bob), 'ImplicitDeny'],
    ['a user ARN does not trust the same name in another account', trust(allowFor({ AWS: alice.arn })), assume(outsider), 'ImplicitDeny'],
    ['a role ARN (with a path) trusts sessions of that role', trust(allowFor({ AWS: [alice.arn, deployRole.arn] })), assume(deployRole), 'Allow'],
    ['"*" trusts anyone', trust(allowFor('*')), assume(outsider), 'Allow'],
    ['{"AWS": "*"} trusts any AWS principal', trust(allowFor({ AWS: '*' })), assume(deployRole), 'Allow'],
    ['another action is not allowed by an AssumeRole statement', trust(allowFor({ AWS: OURS })), assume(alice, { action: 'sts:TagSession' }), 'ImplicitDeny'],
    ['several actions, in any letter case', trust(allowFor({ AWS: OURS }, { Action: ['sts:assumerole', 'sts:TagSession'] })), assume(alice, { action: 'sts:TagSession' }), 'Allow'],
    ['sts:* covers sts:SetSourceIdentity', trust(allowFor({ AWS: OURS }, { Action: 'sts:*' })), assume(alice, { action: 'sts:SetSourceIdentity' }), 'Allow'],
    ['NotAction', trust(allowFor({ AWS: OURS }, { Action: undefined, NotAction: 'sts:TagSession' })), assume(alice), 'Allow'],
    ['no statement for the principal', trust(allowFor({ Service: 'ec2.amazonaws.com' })), assume(alice), 'ImplicitDeny'],
    ['a service principal', trust(allowFor({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] })), assume({ type: 'Service', service: 'lambda.amazonaws.com' }), 'Allow'],
    ['an account principal does not match a service', trust(allowFor({ AWS: '*' })), assume({ type: 'Service', service: 'lambda.amazonaws.com' }), 'ImplicitDeny'],
    [
      'an explicit Deny for one user beats the account-wide Allow',
      trust(allowFor({ AWS: OURS }), { Effect: 'Deny', Principal: { AWS: bob.arn }, Action: 'sts:*' }),
      assume(bob),
      'ExplicitDeny',
    ],
    [
      'the Deny leaves the others allowed',
      trust(allowFor({ AWS: OURS }), { Effect: 'Deny', Principal: { AWS: bob.arn }, Action: 'sts:*' }),
      assume(alice),
      'Allow',
    ],
    [
      'a Deny with NotPrincipal denies everyone not listed',
      trust(allowFor('*'), { Effect: 'Deny', NotPrincipal: { AWS: [OURS] }, Action: 'sts:AssumeRole' }),
      assume(outsider),
      'ExplicitDeny',
    ],
    [
      'a Deny with NotPrincipal spares those listed',
      trust(allowFor('*'), { Effect: 'Deny', NotPrincipal: { AWS: [OURS] }, Action: 'sts:AssumeRole' }),
      assume(alice),
      'Allow',
    ],
  ];
  it.each(cases)('%s', (_name, policy, request, expected) => {
    expect(evaluateTrust(request, policy)).toBe(expected);
  });
});

describe('evaluateTrust with sts:ExternalId and other conditions', () => {
  const thirdParty = trust(allowFor({ AWS: OTHER }, { Condition: { StringEquals: { 'sts:ExternalId': 'secret-42' } } }));
  it.each<[string, TrustRequest, Decision]>([
    ['the right ExternalId', assume(deployRole), 'Allow'],
    ['a wrong ExternalId', assume(deployRole, { context: { ...context, externalId: 'guess' } }), 'ImplicitDeny'],
    ['no ExternalId at all', assume(deployRole, { context: { ...context, externalId: undefined } }), 'ImplicitDeny'],
    ['no context at all', assume(deployRole, { context: undefined }), 'ImplicitDeny'],
    ['the right ExternalId from an account the role does not trust', assume(alice), 'ImplicitDeny'],
  ])('%s', (_name, request, expected) => {
    expect(evaluateTrust(request, thirdParty)).toBe(expected);
  });

  it('fills aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType from the principal', () => {
    const policy = trust(
      allowFor('*', {
        Condition: {
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci/*' },
          StringEquals: { 'aws:PrincipalAccount': OTHER, 'aws:PrincipalType': 'AssumedRole' },
        },
      }),
    );
    expect(evaluateTrust(assume(deployRole), policy)).toBe('Allow');
    expect(evaluateTrust(assume(outsider), policy)).toBe('ImplicitDeny');
  });

  it('a Deny without MFA for one account, BoolIfExists so that long-term keys count as no MFA', () => {
    const policy = trust(allowFor({ AWS: OURS }), {
      Effect: 'Deny',
      Principal: { AWS: OURS },
      Action: 'sts:AssumeRole',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(evaluateTrust(assume(alice), policy)).toBe('ExplicitDeny');
    expect(evaluateTrust(assume(alice, { context: { ...context, mfaPresent: true } }), policy)).toBe('Allow');
  });

  it('sts:RoleSessionName and policy variables', () => {
    const policy = trust(allowFor({ AWS: OURS }, { Condition: { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } } }));
    expect(evaluateTrust(assume(alice, { context: { ...context, userName: 'alice', roleSessionName: 'alice' } }), policy)).toBe('Allow');
    expect(evaluateTrust(assume(alice, { context: { ...context, userName: 'alice', roleSessionName: 'bob' } }), policy)).toBe('ImplicitDeny');
  });

  it('never lets an Allow beat a Deny whose principal and condition match, in any order', () => {
    const principal = fc.constantFrom<PrincipalElement>('*', { AWS: OURS }, { AWS: alice.arn }, { AWS: [OTHER, bob.arn] });
    const statement: fc.Arbitrary<TrustPolicyStatement> = fc.record({
      Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      Principal: principal,
      Action: fc.constantFrom('sts:AssumeRole', 'sts:*', '*', 'sts:TagSession'),
    });
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 5 }), fc.constantFrom(alice, bob, outsider, deployRole), fc.nat(), (statements, who, at) => {
        const deny: TrustPolicyStatement = { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'secret-42' } } };
        const list: TrustPolicyStatement[] = [...statements];
        list.splice(at % (list.length + 1), 0, deny);
        expect(evaluateTrust(assume(who), { Statement: list })).toBe('ExplicitDeny');
        const reversed = [...list].reverse();
        expect(evaluateTrust(assume(who), { Statement: reversed })).toBe('ExplicitDeny');
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseTrustPolicy', () => {
  const doc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement });
  const ok = { Effect: 'Allow', Principal: { AWS: OURS }, Action: 'sts:AssumeRole' };

  it('accepts a typical third-party role, keeping the author’s form', () => {
    const statement = { Sid: 'ThirdParty', ...ok, Principal: { AWS: [OTHER, `arn:aws:iam::${OURS}:role/path/to/role`] }, Condition: { StringEquals: { 'sts:ExternalId': 'x' } } };
    expect(parseTrustPolicy(doc([statement]))).toEqual({ ok: true, policy: { Version: '2012-10-17', Statement: [statement] } });
  });

  it.each<[string, unknown, string]>([
    ['a Resource', { ...ok, Resource: '*' }, 'Statement[0]: Resource is not allowed in a trust policy: the role it is attached to is the resource'],
    ['no principal', { Effect: 'Allow', Action: 'sts:AssumeRole' }, 'Statement[0]: a trust policy statement needs exactly one of Principal or NotPrincipal'],
    ['both Principal and NotPrincipal', { ...ok, Effect: 'Deny', NotPrincipal: { AWS: OURS } }, 'Statement[0]: a trust policy statement needs exactly one of Principal or NotPrincipal'],
    ['NotPrincipal with Allow', { Effect: 'Allow', NotPrincipal: { AWS: OURS }, Action: 'sts:AssumeRole' }, 'Statement[0]: NotPrincipal with "Allow" would trust every principal it does not list; use Principal'],
    ['a non-STS action', { ...ok, Action: ['sts:AssumeRole', 's3:GetObject'] }, 'Statement[0]: action "s3:GetObject" is not an STS action; a trust policy allows actions such as "sts:AssumeRole"'],
    ['a Federated principal', { ...ok, Principal: { Federated: 'cognito-identity.amazonaws.com' } }, 'Statement[0]: Principal type "Federated" is not supported by OpenTrail, which has no identity providers'],
    ['a CanonicalUser principal', { ...ok, Principal: { CanonicalUser: 'abc' } }, 'Statement[0]: Principal type "CanonicalUser" is not supported by OpenTrail, which has no identity providers'],
    ['an unknown principal type', { ...ok, Principal: { Aws: OURS } }, 'Statement[0]: Principal has the unknown principal type "Aws"; supported types are AWS, Service'],
    ['an empty principal object', { ...ok, Principal: {} }, 'Statement[0]: Principal must be "*" or an object such as {"AWS": "123456789012"}'],
    ['a principal string other than "*"', { ...ok, Principal: OURS }, 'Statement[0]: Principal must be "*" or an object such as {"AWS": "123456789012"}'],
    ['a wildcard in a principal ARN', { ...ok, Principal: { AWS: `arn:aws:iam::${OURS}:role/*` } }, `Statement[0]: Principal AWS "arn:aws:iam::${OURS}:role/*" must be "*", an account id, or an ARN arn:aws:iam::<account>:root, :user/<name> or :role/<name>`],
    ['a short account id', { ...ok, Principal: { AWS: '12345' } }, 'Statement[0]: Principal AWS "12345" must be "*", an account id, or an ARN arn:aws:iam::<account>:root, :user/<name> or :role/<name>'],
    ['an assumed-role session ARN', { ...ok, Principal: { AWS: `arn:aws:sts::${OURS}:assumed-role/r/s` } }, `Statement[0]: Principal AWS "arn:aws:sts::${OURS}:assumed-role/r/s" must be "*", an account id, or an ARN arn:aws:iam::<account>:root, :user/<name> or :role/<name>`],
    ['an empty AWS list', { ...ok, Principal: { AWS: [] } }, 'Statement[0]: Principal AWS must be a string or a non-empty array of strings'],
    ['a bad service name', { ...ok, Principal: { Service: 'EC2 service' } }, 'Statement[0]: Principal Service "EC2 service" must be a service name such as "ec2.amazonaws.com"'],
    ['an unknown condition key', { ...ok, Condition: { StringEquals: { 'sts:ExternalID2': 'x' } } }, 'Statement[0]: unknown Condition key "sts:ExternalID2"'],
    ['an unknown element', { ...ok, Principals: '*' }, 'Statement[0]: unknown element "Principals"; allowed elements are Sid, Effect, Principal, NotPrincipal, Action, NotAction, Condition'],
  ])('refuses %s', (_name, statement, message) => {
    expect(parseTrustPolicy(doc(statement))).toEqual({ ok: false, message });
  });

  it('refuses a document over the trust policy size limit', () => {
    const statements = Array.from({ length: 60 }, (_, i) => ({ ...ok, Sid: `S${i}` }));
    const result = parseTrustPolicy(doc(statements));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/^Policy document is too large: \d+ characters; the limit is 4096 characters \(not counting whitespace\), the most IAM allows for role trust policies$/);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(typeof parseTrustPolicy(JSON.stringify({ Statement: value })).ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
