import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement } from './types.js';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';
const CHANNEL = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/0b4e5d6c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
const allow = (extra: Omit<PolicyStatement, 'Effect'>): PolicyStatement => ({ Effect: 'Allow', ...extra });
const deny = (extra: Omit<PolicyStatement, 'Effect'>): PolicyStatement => ({ Effect: 'Deny', ...extra });

interface Case {
  name: string;
  policies: PolicyDocument[];
  request: AuthorizationRequest;
  expected: Decision;
}

const cases: Case[] = [
  { name: 'no policies at all', policies: [], request: { action: 'cloudtrail:LookupEvents', resource: '*' }, expected: 'ImplicitDeny' },
  {
    name: 'a policy that does not mention the action',
    policies: [policy(allow({ Action: 'cloudtrail:GetTrail', Resource: '*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'ImplicitDeny',
  },
  {
    name: 'a plain allow',
    policies: [policy(allow({ Action: 'cloudtrail:LookupEvents', Resource: '*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'explicit deny in a second policy beats an allow in the first',
    policies: [policy(allow({ Action: 'cloudtrail:*', Resource: '*' })), policy(deny({ Action: 'cloudtrail:DeleteTrail', Resource: '*' }))],
    request: { action: 'cloudtrail:DeleteTrail', resource: TRAIL },
    expected: 'ExplicitDeny',
  },
  {
    name: 'explicit deny in the first policy beats an allow in the second',
    policies: [policy(deny({ Action: 'cloudtrail:DeleteTrail', Resource: '*' })), policy(allow({ Action: 'cloudtrail:*', Resource: '*' }))],
    request: { action: 'cloudtrail:DeleteTrail', resource: TRAIL },
    expected: 'ExplicitDeny',
  },
  {
    name: 'a deny that does not match leaves the allow in force',
    policies: [policy(allow({ Action: 'cloudtrail:*', Resource: '*' })), policy(deny({ Action: 'cloudtrail:DeleteTrail', Resource: '*' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: 'a deny on another resource leaves the allow in force',
    policies: [policy(allow({ Action: '*', Resource: '*' }), deny({ Action: '*', Resource: 'arn:aws:cloudtrail:*:*:trail/secret' }))],
    request: { action: 'cloudtrail:DeleteTrail', resource: TRAIL },
    expected: 'Allow',
  },
  // NotAction / NotResource
  {
    name: 'NotAction allows everything not listed',
    policies: [policy(allow({ NotAction: 'cloudtrail:Delete*', Resource: '*' }))],
    request: { action: 'cloudtrail:CreateTrail', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'NotAction does not allow what is listed',
    policies: [policy(allow({ NotAction: ['cloudtrail:Delete*', 'cloudtrail:StopLogging'], Resource: '*' }))],
    request: { action: 'cloudtrail:StopLogging', resource: TRAIL },
    expected: 'ImplicitDeny',
  },
  {
    name: 'Deny with NotAction denies everything not listed',
    policies: [policy(allow({ Action: '*', Resource: '*' }), deny({ NotAction: 'cloudtrail:LookupEvents', Resource: '*' }))],
    request: { action: 'cloudtrail:CreateTrail', resource: '*' },
    expected: 'ExplicitDeny',
  },
  {
    name: 'Deny with NotAction leaves the listed action alone',
    policies: [policy(allow({ Action: '*', Resource: '*' }), deny({ NotAction: 'cloudtrail:LookupEvents', Resource: '*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'NotResource allows every resource not listed',
    policies: [policy(allow({ Action: 'cloudtrail:*', NotResource: 'arn:aws:cloudtrail:*:*:trail/secret*' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: 'NotResource does not allow a listed resource',
    policies: [policy(allow({ Action: 'cloudtrail:*', NotResource: ['arn:aws:cloudtrail:*:*:trail/secret*', TRAIL] }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'ImplicitDeny',
  },
  {
    name: 'NotResource covers the "*" resource of operations without resource-level permissions',
    policies: [policy(allow({ Action: 'cloudtrail:*', NotResource: TRAIL }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'Deny with NotResource protects everything but the listed resource',
    policies: [policy(allow({ Action: '*', Resource: '*' }), deny({ Action: 'cloudtrail:Delete*', NotResource: TRAIL }))],
    request: { action: 'cloudtrail:DeleteTrail', resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/other' },
    expected: 'ExplicitDeny',
  },
  {
    name: 'NotAction and NotResource together',
    policies: [policy(allow({ NotAction: 'cloudtrail:Delete*', NotResource: TRAIL }))],
    request: { action: 'cloudtrail:GetTrail', resource: CHANNEL },
    expected: 'Allow',
  },
  // Wildcards in actions
  {
    name: 'action wildcard at the start',
    policies: [policy(allow({ Action: '*:LookupEvents', Resource: '*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'action wildcard in the middle',
    policies: [policy(allow({ Action: 'cloudtrail:Get*Selectors', Resource: '*' }))],
    request: { action: 'cloudtrail:GetEventSelectors', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: 'action wildcard at the end',
    policies: [policy(allow({ Action: 'cloudtrail:Describe*', Resource: '*' }))],
    request: { action: 'cloudtrail:DescribeTrails', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'action wildcard does not cross into another service prefix',
    policies: [policy(allow({ Action: 'cloudtrail:*', Resource: '*' }))],
    request: { action: 'cloudtrail-data:PutAuditEvents', resource: CHANNEL },
    expected: 'ImplicitDeny',
  },
  {
    name: '"*" alone matches every action',
    policies: [policy(allow({ Action: '*', Resource: '*' }))],
    request: { action: 'cloudtrail-data:PutAuditEvents', resource: CHANNEL },
    expected: 'Allow',
  },
  {
    name: '"?" matches exactly one character of an action',
    policies: [policy(allow({ Action: 'cloudtrail:?etTrail', Resource: '*' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: '"?" does not match zero characters',
    policies: [policy(allow({ Action: 'cloudtrail:?GetTrail', Resource: '*' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'ImplicitDeny',
  },
  // Case rules
  {
    name: 'actions compare case-insensitively (pattern in lower case)',
    policies: [policy(allow({ Action: 'cloudtrail:lookupevents', Resource: '*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
  {
    name: 'actions compare case-insensitively (service prefix in upper case, with a wildcard)',
    policies: [policy(deny({ Action: 'CLOUDTRAIL:DELETE*', Resource: '*' }), allow({ Action: '*', Resource: '*' }))],
    request: { action: 'cloudtrail:DeleteTrail', resource: TRAIL },
    expected: 'ExplicitDeny',
  },
  {
    name: 'resources compare case-sensitively',
    policies: [policy(allow({ Action: '*', Resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'ImplicitDeny',
  },
  // Wildcards in resources
  {
    name: 'resource wildcard at the start',
    policies: [policy(allow({ Action: '*', Resource: '*:trail/main' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: 'resource wildcard in the middle spans ":"',
    policies: [policy(allow({ Action: '*', Resource: 'arn:aws:cloudtrail:*:channel/*' }))],
    request: { action: 'cloudtrail-data:PutAuditEvents', resource: CHANNEL },
    expected: 'Allow',
  },
  {
    name: 'resource wildcard at the end spans "/"',
    policies: [policy(allow({ Action: '*', Resource: 'arn:aws:cloudtrail:us-east-1:123456789012:*' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: '"?" in a resource matches one character',
    policies: [policy(allow({ Action: '*', Resource: 'arn:aws:cloudtrail:us-east-?:123456789012:trail/mai?' }))],
    request: { action: 'cloudtrail:GetTrail', resource: TRAIL },
    expected: 'Allow',
  },
  {
    name: 'an ARN pattern does not match the "*" resource',
    policies: [policy(allow({ Action: '*', Resource: 'arn:aws:cloudtrail:*' }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'ImplicitDeny',
  },
  {
    name: 'several patterns: any one matching is enough',
    policies: [policy(allow({ Action: ['cloudtrail:GetTrail', 'cloudtrail:LookupEvents'], Resource: [TRAIL, '*'] }))],
    request: { action: 'cloudtrail:LookupEvents', resource: '*' },
    expected: 'Allow',
  },
];

describe('evaluate', () => {
  it.each(cases)('$name → $expected', ({ policies, request, expected }) => {
    expect(evaluate(request, policies)).toBe(expected);
  });

  it('treats a hand-built statement with no action element as applying to nothing', () => {
    const broken = { Effect: 'Allow', Resource: '*' } as PolicyStatement;
    expect(evaluate({ action: 'cloudtrail:GetTrail', resource: '*' }, [policy(broken)])).toBe('ImplicitDeny');
  });
});
