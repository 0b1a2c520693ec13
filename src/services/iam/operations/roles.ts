/**
 * Roles with trust policies: CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy,
 * DeleteRole. Trust policies are checked with src/iam/policy's parseTrustPolicy (Principal
 * required, STS actions only, no Resource) and answered URL-encoded.
 */
import { entityArn } from '../entity-arn.js';
import { newIamId } from '../../../core/ids.js';
import type { Role } from '../../../iam/identity-store.js';
import { roleArnOf } from '../arns.js';
import { checkTrustPolicy } from '../documents.js';
import { iamErrors } from '../errors.js';
import { principalOf, requireRole, storeOf } from '../lookups.js';
import { NAME_LIMITS, checkName, checkPath, checkPathPrefix, hasPathPrefix } from '../names.js';
import { page, sortedBy } from '../paging.js';
import { roleShape } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';
import { checkedTags, refuseBoundary } from './users.js';

/** IAM's default and bounds for a role's session duration, in seconds. */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

export const createRole: OperationSpec<'CreateRole'> = {
  authorizationResource: (input, context) => roleArnOf(context.caller.accountId, input.Path ?? '/', input.RoleName),
  async handle(input, context) {
    checkName(input.RoleName, 'roleName', NAME_LIMITS.role);
    const path = input.Path ?? '/';
    checkPath(path);
    refuseBoundary(input.PermissionsBoundary);
    checkTrustPolicy(input.AssumeRolePolicyDocument);
    const tags = checkedTags(input.Tags);
    const accountId = context.caller.accountId;
    if ((await storeOf(context).getRole(accountId, input.RoleName)) !== undefined) throw iamErrors.alreadyExists('role', input.RoleName);
    const role: Role = {
      accountId,
      roleName: input.RoleName,
      roleId: newIamId('AROA'),
      path,
      trustPolicy: input.AssumeRolePolicyDocument,
      ...(input.Description !== undefined && { description: input.Description }),
      maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      tags,
      createdAt: context.nowMs,
    };
    context.stage({ kind: 'createRole', role }, { exists: iamErrors.alreadyExists('role', input.RoleName) });
    // CreateRole answers no MaxSessionDuration (GetRole and ListRoles do), as IAM's records show.
    const { MaxSessionDuration: _duration, ...created } = roleShape(role, { withTags: true });
    return { Role: created };
  },
};

export const getRole: OperationSpec<'GetRole'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    return { Role: { ...roleShape(await requireRole(context, input.RoleName), { withTags: true }), RoleLastUsed: {} } };
  },
};

export const listRoles: OperationSpec<'ListRoles'> = {
  async handle(input, context) {
    if (input.PathPrefix !== undefined) checkPathPrefix(input.PathPrefix);
    const roles = (await storeOf(context).listRoles(context.caller.accountId)).filter((r) => hasPathPrefix(r.path, input.PathPrefix));
    const key = (r: Role) => r.roleName.toLowerCase();
    const result = page(sortedBy(roles, key), key, input);
    return { Roles: result.items.map((r) => roleShape(r)), IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const updateRole: OperationSpec<'UpdateRole'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    const role = await requireRole(context, input.RoleName);
    context.stage(
      {
        kind: 'updateRole',
        accountId: role.accountId,
        roleName: role.roleName,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.MaxSessionDuration !== undefined && { maxSessionDuration: input.MaxSessionDuration }),
      },
      { missing: iamErrors.noSuchEntity('role', input.RoleName) },
    );
    return {};
  },
};

export const updateAssumeRolePolicy: OperationSpec<'UpdateAssumeRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    const role = await requireRole(context, input.RoleName);
    checkTrustPolicy(input.PolicyDocument);
    context.stage(
      { kind: 'updateAssumeRolePolicy', accountId: role.accountId, roleName: role.roleName, document: input.PolicyDocument },
      { missing: iamErrors.noSuchEntity('role', input.RoleName) },
    );
    return {};
  },
};

export const deleteRole: OperationSpec<'DeleteRole'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    const role = await requireRole(context, input.RoleName);
    const principal = principalOf(context, 'role', role.roleName);
    if ((await storeOf(context).listInlinePolicies(principal)).length > 0) throw iamErrors.mustDeletePolicies();
    if ((await storeOf(context).listAttachedPolicyArns(principal)).length > 0) throw iamErrors.mustDetachPolicies();
    context.stage(
      { kind: 'deleteRole', accountId: role.accountId, roleName: role.roleName },
      { missing: iamErrors.noSuchEntity('role', input.RoleName), inUse: iamErrors.mustDetachPolicies() },
    );
    return {};
  },
};
