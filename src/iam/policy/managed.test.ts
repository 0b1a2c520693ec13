import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { isManagedPolicyName, managedPolicies } from './managed.js';
import type { ManagedPolicyName } from './managed.js';
import { parsePolicy } from './parse.js';
import type { Decision } from './types.js';

const CHANNEL = 'arn:aws:cloudtrail:eu-west-1:123456789012:channel/0b4e5d6c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const TRAIL = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main';

// [action, resource, FullAccess, ReadOnly, IngestOnly]
const table: [string, string, Decision, Decision, Decision][] = [
  ['cloudtrail:LookupEvents', '*', 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:GetTrail', TRAIL, 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:GetTrailStatus', TRAIL, 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:GetEventSelectors', TRAIL, 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:GetChannel', CHANNEL, 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:DescribeTrails', '*', 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:ListTrails', '*', 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:ListChannels', '*', 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:ListTags', TRAIL, 'Allow', 'Allow', 'ImplicitDeny'],
  ['cloudtrail:CreateTrail', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:UpdateTrail', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:DeleteTrail', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:StartLogging', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:StopLogging', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:PutEventSelectors', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:CreateChannel', CHANNEL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail:AddTags', TRAIL, 'Allow', 'ImplicitDeny', 'ImplicitDeny'],
  ['cloudtrail-data:PutAuditEvents', CHANNEL, 'Allow', 'ImplicitDeny', 'Allow'],
  ['cloudtrail-data:PutAuditEvents', '*', 'Allow', 'ImplicitDeny', 'Allow'],
  // Other services are outside every OpenTrail policy.
  ['iam:CreateUser', '*', 'ImplicitDeny', 'ImplicitDeny', 'ImplicitDeny'],
  ['s3:GetObject', '*', 'ImplicitDeny', 'ImplicitDeny', 'ImplicitDeny'],
];

describe('managed policies', () => {
  it.each(table)('%s on %s: full %s, read-only %s, ingest-only %s', (action, resource, full, readOnly, ingest) => {
    const request = { action, resource };
    expect(evaluate(request, [managedPolicies.OpenTrailFullAccess])).toBe(full);
    expect(evaluate(request, [managedPolicies.OpenTrailReadOnly])).toBe(readOnly);
    expect(evaluate(request, [managedPolicies.OpenTrailIngestOnly])).toBe(ingest);
  });

  it.each(Object.keys(managedPolicies) as ManagedPolicyName[])('%s is a valid policy that survives a JSON round trip', (name) => {
    const parsed = parsePolicy(JSON.stringify(managedPolicies[name]));
    expect(parsed).toEqual({ ok: true, policy: managedPolicies[name] });
  });

  it('cannot be modified through a shared reference', () => {
    const statement = managedPolicies.OpenTrailReadOnly.Statement[0];
    expect(Object.isFrozen(managedPolicies)).toBe(true);
    expect(Object.isFrozen(managedPolicies.OpenTrailReadOnly.Statement)).toBe(true);
    expect(Object.isFrozen(statement)).toBe(true);
    expect(Object.isFrozen(statement?.Action)).toBe(true);
    expect(() => managedPolicies.OpenTrailReadOnly.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' })).toThrow(TypeError);
  });

  it('recognises managed policy names, and only own ones', () => {
    expect(isManagedPolicyName('OpenTrailReadOnly')).toBe(true);
    expect(isManagedPolicyName('OpenTrailAdmin')).toBe(false);
    expect(isManagedPolicyName('toString')).toBe(false);
    expect(isManagedPolicyName('__proto__')).toBe(false);
  });
});
