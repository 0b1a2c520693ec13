/**
 * Inline policies of users, roles and groups: Put/Get/List/Delete<Kind>Policy. One set of
 * rules for the three kinds; only the size quota differs (documents.ts).
 */
import { entityArn } from '../entity-arn.js';
import type { OperationContext } from '../../../api/operation-context.js';
import type { PrincipalKind } from '../../../iam/identity-store.js';
import { checkInlinePolicy, urlEncodeDocument } from '../documents.js';
import { iamErrors } from '../errors.js';
import { principalOf, requirePrincipal, storeOf } from '../lookups.js';
import { NAME_LIMITS, checkName } from '../names.js';
import type { PageRequest } from '../paging.js';
import { page } from '../paging.js';
import type { OperationSpec } from './operation-spec.js';


async function putPolicy(context: OperationContext, kind: PrincipalKind, name: string, policyName: string, document: string): Promise<void> {
  const principal = await requirePrincipal(context, kind, name);
  checkName(policyName, 'policyName', NAME_LIMITS.policy);
  checkInlinePolicy(kind, document);
  context.stage(
    { kind: 'putInlinePolicy', policy: { principal: principalOf(context, kind, principal.name), policyName, document } },
    { missing: iamErrors.noSuchEntity(kind, name) },
  );
}

async function getPolicy(context: OperationContext, kind: PrincipalKind, name: string, policyName: string) {
  const principal = await requirePrincipal(context, kind, name);
  const policy = await storeOf(context).getInlinePolicy(principalOf(context, kind, principal.name), policyName);
  if (policy === undefined) throw iamErrors.noSuchInlinePolicy(kind, policyName);
  return { name: principal.name, PolicyName: policy.policyName, PolicyDocument: urlEncodeDocument(policy.document) };
}

async function listPolicies(context: OperationContext, kind: PrincipalKind, name: string, request: PageRequest) {
  const principal = await requirePrincipal(context, kind, name);
  const names = (await storeOf(context).listInlinePolicies(principalOf(context, kind, principal.name))).map((p) => p.policyName);
  const result = page(names, (n) => n.toLowerCase(), request);
  return { PolicyNames: result.items, IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
}

async function deletePolicy(context: OperationContext, kind: PrincipalKind, name: string, policyName: string): Promise<void> {
  const principal = await requirePrincipal(context, kind, name);
  const ref = principalOf(context, kind, principal.name);
  const policy = await storeOf(context).getInlinePolicy(ref, policyName);
  if (policy === undefined) throw iamErrors.noSuchInlinePolicy(kind, policyName);
  context.stage({ kind: 'deleteInlinePolicy', principal: ref, policyName: policy.policyName }, { missing: iamErrors.noSuchInlinePolicy(kind, policyName) });
}

export const putUserPolicy: OperationSpec<'PutUserPolicy'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    await putPolicy(context, 'user', input.UserName, input.PolicyName, input.PolicyDocument);
    return {};
  },
};

export const putRolePolicy: OperationSpec<'PutRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    await putPolicy(context, 'role', input.RoleName, input.PolicyName, input.PolicyDocument);
    return {};
  },
};

export const putGroupPolicy: OperationSpec<'PutGroupPolicy'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    await putPolicy(context, 'group', input.GroupName, input.PolicyName, input.PolicyDocument);
    return {};
  },
};

export const getUserPolicy: OperationSpec<'GetUserPolicy'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    const { name, ...policy } = await getPolicy(context, 'user', input.UserName, input.PolicyName);
    return { UserName: name, ...policy };
  },
};

export const getRolePolicy: OperationSpec<'GetRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    const { name, ...policy } = await getPolicy(context, 'role', input.RoleName, input.PolicyName);
    return { RoleName: name, ...policy };
  },
};

export const getGroupPolicy: OperationSpec<'GetGroupPolicy'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    const { name, ...policy } = await getPolicy(context, 'group', input.GroupName, input.PolicyName);
    return { GroupName: name, ...policy };
  },
};

export const listUserPolicies: OperationSpec<'ListUserPolicies'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  handle: async (input, context) => listPolicies(context, 'user', input.UserName, input),
};

export const listRolePolicies: OperationSpec<'ListRolePolicies'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  handle: async (input, context) => listPolicies(context, 'role', input.RoleName, input),
};

export const listGroupPolicies: OperationSpec<'ListGroupPolicies'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  handle: async (input, context) => listPolicies(context, 'group', input.GroupName, input),
};

export const deleteUserPolicy: OperationSpec<'DeleteUserPolicy'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    await deletePolicy(context, 'user', input.UserName, input.PolicyName);
    return {};
  },
};

export const deleteRolePolicy: OperationSpec<'DeleteRolePolicy'> = {
  authorizationResource: async (input, context) => entityArn('role', input.RoleName, context),
  async handle(input, context) {
    await deletePolicy(context, 'role', input.RoleName, input.PolicyName);
    return {};
  },
};

export const deleteGroupPolicy: OperationSpec<'DeleteGroupPolicy'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    await deletePolicy(context, 'group', input.GroupName, input.PolicyName);
    return {};
  },
};
