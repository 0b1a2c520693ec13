/**
 * The AWS managed policies OpenTrail knows (`arn:aws:iam::aws:policy/<name>`): OpenTrail's own
 * ready-made policies (./policy/managed.ts) and counterparts of AWS's best-known ones, written
 * for the services OpenTrail serves. They can be attached like AWS's, and never changed.
 *
 * Their ids and dates are fixed (derived from the name, and OpenTrail's own epoch), so that
 * GetPolicy answers the same thing on every server and every start.
 */
import { createHash } from 'node:crypto';
import type { PolicyDocument } from './policy/index.js';
import { managedPolicies } from './policy/index.js';

export interface AwsManagedPolicy {
  policyName: string;
  policyArn: string;
  /** ANPA… */
  policyId: string;
  description: string;
  document: PolicyDocument;
  /** Milliseconds. */
  createdAt: number;
}

/** Every service OpenTrail serves, as IAM action prefixes. */
const SERVICES = ['cloudtrail', 'cloudtrail-data', 'iam', 'sts', 'organizations'];
const READ_PREFIXES = ['Get', 'List', 'Describe', 'Lookup'];

/** 2026-01-01T00:00:00Z: when these policies first existed. */
const CATALOGUE_EPOCH_MS = Date.UTC(2026, 0, 1);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function stableId(name: string): string {
  const digest = createHash('sha256').update(`aws-managed-policy:${name}`).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += ALPHABET[digest[i]! % 32];
  return id;
}

function allow(sid: string, action: string | string[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: action, Resource: '*' }] };
}

const DEFINITIONS: readonly { name: string; description: string; document: PolicyDocument }[] = [
  { name: 'AdministratorAccess', description: 'Provides full access to every service OpenTrail serves.', document: allow('AdministratorAccess', '*') },
  { name: 'IAMFullAccess', description: 'Provides full access to IAM.', document: allow('IAMFullAccess', 'iam:*') },
  { name: 'IAMReadOnlyAccess', description: 'Provides read only access to IAM.', document: allow('IAMReadOnlyAccess', ['iam:Get*', 'iam:List*']) },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read only access to every service OpenTrail serves.',
    document: allow(
      'ReadOnlyAccess',
      SERVICES.flatMap((service) => READ_PREFIXES.map((prefix) => `${service}:${prefix}*`)),
    ),
  },
  { name: 'OpenTrailFullAccess', description: 'Provides full access to CloudTrail and CloudTrail Data.', document: managedPolicies.OpenTrailFullAccess },
  { name: 'OpenTrailReadOnly', description: 'Provides read only access to CloudTrail.', document: managedPolicies.OpenTrailReadOnly },
  { name: 'OpenTrailIngestOnly', description: 'Allows sending events to CloudTrail Data channels only.', document: managedPolicies.OpenTrailIngestOnly },
];

const CATALOGUE: ReadonlyMap<string, AwsManagedPolicy> = new Map(
  DEFINITIONS.map((d) => [
    d.name,
    Object.freeze({
      policyName: d.name,
      policyArn: `arn:aws:iam::aws:policy/${d.name}`,
      policyId: stableId(d.name),
      description: d.description,
      document: d.document,
      createdAt: CATALOGUE_EPOCH_MS,
    }),
  ]),
);

export function awsManagedPolicyByName(policyName: string): AwsManagedPolicy | undefined {
  return CATALOGUE.get(policyName);
}

/** The AWS managed policy of that ARN (`arn:aws:iam::aws:policy/<name>`), if OpenTrail has it. */
export function awsManagedPolicyByArn(policyArn: string): AwsManagedPolicy | undefined {
  const name = /^arn:aws:iam::aws:policy\/([\w+=,.@-]+)$/.exec(policyArn)?.[1];
  return name === undefined ? undefined : CATALOGUE.get(name);
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return [...CATALOGUE.values()];
}

/** The policy's document as JSON text (what GetPolicyVersion answers, URL-encoded). */
export function awsManagedDocumentText(policy: AwsManagedPolicy): string {
  return JSON.stringify(policy.document, null, 4);
}
