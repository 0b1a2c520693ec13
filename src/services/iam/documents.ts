/**
 * Policy documents: validated when attached (IAM's size quotas, then src/iam/policy's strict
 * parser), and answered URL-encoded (RFC 3986), as IAM answers them in GetUserPolicy, GetRole,
 * GetPolicyVersion, GetAccountAuthorizationDetails and the like; the AWS CLI and boto3 decode
 * them back, the SDKs leave that to the caller.
 */
import { parsePolicy, parseTrustPolicy, TRUST_POLICY_MAX_CHARACTERS } from '../../iam/policy/index.js';
import type { EntityKind } from './errors.js';
import { iamErrors } from './errors.js';

/** IAM's quotas for inline policies, in characters without whitespace. */
export const INLINE_POLICY_LIMITS: Record<EntityKind, number> = { user: 2048, role: 10240, group: 5120 };
/** IAM's quota for one version of a customer managed policy, in characters without whitespace. */
export const MANAGED_POLICY_LIMIT = 6144;

/** IAM counts a policy's size without its whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

function parsed(text: string): void {
  const result = parsePolicy(text);
  if (!result.ok) throw iamErrors.malformedPolicy(result.message);
}

/** An inline policy of a user, role or group: its quota, then its syntax. */
export function checkInlinePolicy(kind: EntityKind, text: string): void {
  const limit = INLINE_POLICY_LIMITS[kind];
  if (policySize(text) > limit) throw iamErrors.inlinePolicySize(kind, limit);
  parsed(text);
}

export function checkManagedPolicy(text: string): void {
  if (policySize(text) > MANAGED_POLICY_LIMIT) throw iamErrors.managedPolicySize(MANAGED_POLICY_LIMIT);
  parsed(text);
}

/** A role's trust policy, with OpenTrail's quota for it (the largest IAM grants on request). */
export function checkTrustPolicy(text: string): void {
  if (policySize(text) > TRUST_POLICY_MAX_CHARACTERS) {
    throw iamErrors.trustPolicySize(TRUST_POLICY_MAX_CHARACTERS);
  }
  const result = parseTrustPolicy(text);
  if (!result.ok) throw iamErrors.malformedPolicy(result.message);
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - . _ ~ is encoded. */
export function urlEncodeDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
