/**
 * The ready-made policies OpenTrail ships, the counterparts of AWS's AWSCloudTrail_FullAccess and
 * AWSCloudTrail_ReadOnlyAccess, plus one for event producers that only ingest into channels
 * (channel ARNs look like `arn:aws:cloudtrail:<region>:<account>:channel/<id>`).
 */
import type { PolicyDocument } from './types.js';

const fullAccess: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'OpenTrailFullAccess', Effect: 'Allow', Action: ['cloudtrail:*', 'cloudtrail-data:*'], Resource: '*' }],
};

const readOnly: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OpenTrailReadOnly',
      Effect: 'Allow',
      Action: ['cloudtrail:Get*', 'cloudtrail:Describe*', 'cloudtrail:List*', 'cloudtrail:LookupEvents'],
      Resource: '*',
    },
  ],
};

const ingestOnly: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'OpenTrailIngestOnly', Effect: 'Allow', Action: 'cloudtrail-data:PutAuditEvents', Resource: '*' }],
};

/**
 * Managed policies by name. Deeply frozen: they are shared by every user they are attached to,
 * so a caller mutating one by mistake must not change everyone's permissions.
 */
export const managedPolicies: {
  readonly OpenTrailFullAccess: PolicyDocument;
  readonly OpenTrailReadOnly: PolicyDocument;
  readonly OpenTrailIngestOnly: PolicyDocument;
} = deepFreeze({
  OpenTrailFullAccess: fullAccess,
  OpenTrailReadOnly: readOnly,
  OpenTrailIngestOnly: ingestOnly,
});

/** The name of one of the {@link managedPolicies}. */
export type ManagedPolicyName = keyof typeof managedPolicies;

/** Whether `name` names a managed policy (own keys only, so "toString" is not one). */
export function isManagedPolicyName(name: string): name is ManagedPolicyName {
  return Object.hasOwn(managedPolicies, name);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
