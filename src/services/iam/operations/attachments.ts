/**
 * Managed policies attached to users, roles and groups: Attach/Detach/ListAttached<Kind>Policies.
 * At most 10 per principal; attaching one already attached changes nothing and succeeds, as in IAM.
 */
import { entityArn } from '../entity-arn.js';
import type { OperationContext } from '../../../api/operation-context.js';
import { modelledError } from '../../../api/protocols/aws-query/wire-errors.js';
import type { PrincipalKind } from '../../../iam/identity-store.js';
import { parsePolicyArn } from '../arns.js';
import { iamErrors } from '../errors.js';
import { findPolicy, principalOf, requirePrincipal, storeOf } from '../lookups.js';
import type { AttachedPolicy } from '../model.gen.js';
import { shapes } from '../model.gen.js';
import { checkPathPrefix } from '../names.js';
import type { PageRequest } from '../paging.js';
import { page, sortedBy } from '../paging.js';
import type { OperationSpec } from './operation-spec.js';

export const MANAGED_POLICIES_PER_PRINCIPAL = 10;


async function attach(context: OperationContext, kind: PrincipalKind, name: string, policyArn: string): Promise<void> {
  const principal = await requirePrincipal(context, kind, name);
  if ((await findPolicy(context, policyArn)) === undefined) throw iamErrors.notAttachable(policyArn);
  const ref = principalOf(context, kind, principal.name);
  const attached = await storeOf(context).listAttachedPolicyArns(ref);
  if (attached.includes(policyArn)) return;
  if (attached.length >= MANAGED_POLICIES_PER_PRINCIPAL) throw iamErrors.policiesPer(kind, MANAGED_POLICIES_PER_PRINCIPAL);
  context.stage(
    { kind: 'attachPolicy', principal: ref, policyArn },
    {
      missing: iamErrors.noSuchEntity(kind, name),
      exists: modelledError(shapes, 'ConcurrentModificationException', 'Another request attached this policy at the same time.'),
      inUse: iamErrors.policiesPer(kind, MANAGED_POLICIES_PER_PRINCIPAL),
    },
  );
}

async function detach(context: OperationContext, kind: PrincipalKind, name: string, policyArn: string): Promise<void> {
  const principal = await requirePrincipal(context, kind, name);
  const ref = principalOf(context, kind, principal.name);
  if (!(await storeOf(context).listAttachedPolicyArns(ref)).includes(policyArn)) throw iamErrors.notAttached(policyArn);
  context.stage({ kind: 'detachPolicy', principal: ref, policyArn }, { missing: iamErrors.notAttached(policyArn) });
}

async function listAttached(context: OperationContext, kind: PrincipalKind, name: string, pathPrefix: string | undefined, request: PageRequest) {
  const principal = await requirePrincipal(context, kind, name);
  if (pathPrefix !== undefined) checkPathPrefix(pathPrefix);
  const policies: AttachedPolicy[] = [];
  for (const arn of await storeOf(context).listAttachedPolicyArns(principalOf(context, kind, principal.name))) {
    const parsed = parsePolicyArn(arn);
    if (parsed === undefined || (pathPrefix !== undefined && !parsed.path.startsWith(pathPrefix))) continue;
    policies.push({ PolicyName: parsed.policyName, PolicyArn: arn });
  }
  const key = (p: AttachedPolicy) => `${p.PolicyName!.toLowerCase()}\u0000${p.PolicyArn!}`;
  const result = page(sortedBy(policies, key), key, request);
  return { AttachedPolicies: result.items, IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
}

export const attachUserPolicy: OperationSpec<'AttachUserPolicy'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    await attach(context, 'user', input.UserName, input.PolicyArn);
    return {};
  },
};

export const attachRolePolicy: OperationSpec<'AttachRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    await attach(context, 'role', input.RoleName, input.PolicyArn);
    return {};
  },
};

export const attachGroupPolicy: OperationSpec<'AttachGroupPolicy'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    await attach(context, 'group', input.GroupName, input.PolicyArn);
    return {};
  },
};

export const detachUserPolicy: OperationSpec<'DetachUserPolicy'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    await detach(context, 'user', input.UserName, input.PolicyArn);
    return {};
  },
};

export const detachRolePolicy: OperationSpec<'DetachRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    await detach(context, 'role', input.RoleName, input.PolicyArn);
    return {};
  },
};

export const detachGroupPolicy: OperationSpec<'DetachGroupPolicy'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    await detach(context, 'group', input.GroupName, input.PolicyArn);
    return {};
  },
};

export const listAttachedUserPolicies: OperationSpec<'ListAttachedUserPolicies'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  handle: async (input, context) => listAttached(context, 'user', input.UserName, input.PathPrefix, input),
};

export const listAttachedRolePolicies: OperationSpec<'ListAttachedRolePolicies'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  handle: async (input, context) => listAttached(context, 'role', input.RoleName, input.PathPrefix, input),
};

export const listAttachedGroupPolicies: OperationSpec<'ListAttachedGroupPolicies'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  handle: async (input, context) => listAttached(context, 'group', input.GroupName, input.PathPrefix, input),
};
