/**
 * Whether a caller may assume a role, by the role's trust policy. The caller's own identity
 * policies (sts:AssumeRole on the role's ARN) were already checked by the pipeline's
 * authorization step; both must allow. A trust policy that no longer parses trusts nobody.
 */
import type { Caller } from '../../../iam/caller.js';
import type { Role } from '../../../iam/identity-store.js';
import type { RequestContext, TrustPrincipal } from '../../../iam/policy/index.js';
import { evaluateTrust, parseTrustPolicy } from '../../../iam/policy/index.js';

/** Who the trust policy sees: a session acts as its role (aws:PrincipalArn is the role's ARN). */
export function trustPrincipalOf(caller: Caller): TrustPrincipal {
  switch (caller.type) {
    case 'IAMUser':
      return { type: 'User', accountId: caller.accountId, arn: caller.arn };
    case 'AssumedRole':
      return { type: 'AssumedRole', accountId: caller.accountId, arn: caller.roleArn };
    case 'Root':
      return { type: 'Account', accountId: caller.accountId, arn: caller.arn };
  }
}

export function trustAllows(role: Role, caller: Caller, context: RequestContext): boolean {
  const policy = parseTrustPolicy(role.trustPolicy);
  if (!policy.ok) return false;
  return evaluateTrust({ principal: trustPrincipalOf(caller), action: 'sts:AssumeRole', context }, policy.policy) === 'Allow';
}
