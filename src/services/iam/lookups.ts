/**
 * What IAM handlers look up before they answer or stage a change: the entities a call names,
 * in the caller's account, or IAM's NoSuchEntity for them. Reads only (handlers never write).
 */
import { queryErrors } from '../../api/protocols/aws-query/query-errors.js';
import type { OperationContext } from '../../api/operation-context.js';
import type { AwsManagedPolicy } from '../../iam/aws-managed-policies.js';
import { awsManagedPolicyByArn } from '../../iam/aws-managed-policies.js';
import type { Group, IdentityStore, ManagedPolicy, PrincipalKind, PrincipalRef, Role, User } from '../../iam/identity-store.js';
import { iamErrors } from './errors.js';

export function storeOf(context: OperationContext): IdentityStore {
  return context.services.identity.store;
}

export function principalOf(context: OperationContext, kind: PrincipalKind, name: string): PrincipalRef {
  return { accountId: context.caller.accountId, kind, name };
}

export async function requireUser(context: OperationContext, userName: string): Promise<User> {
  const user = await storeOf(context).getUser(context.caller.accountId, userName);
  if (user === undefined) throw iamErrors.noSuchEntity('user', userName);
  return user;
}

export async function requireRole(context: OperationContext, roleName: string): Promise<Role> {
  const role = await storeOf(context).getRole(context.caller.accountId, roleName);
  if (role === undefined) throw iamErrors.noSuchEntity('role', roleName);
  return role;
}

export async function requireGroup(context: OperationContext, groupName: string): Promise<Group> {
  const group = await storeOf(context).getGroup(context.caller.accountId, groupName);
  if (group === undefined) throw iamErrors.noSuchEntity('group', groupName);
  return group;
}

/** The entity a user, role or group call names, by kind: its stored name (the case it was created with). */
export async function requirePrincipal(context: OperationContext, kind: PrincipalKind, name: string): Promise<{ name: string; path: string; id: string }> {
  switch (kind) {
    case 'user': {
      const user = await requireUser(context, name);
      return { name: user.userName, path: user.path, id: user.principalId };
    }
    case 'role': {
      const role = await requireRole(context, name);
      return { name: role.roleName, path: role.path, id: role.roleId };
    }
    case 'group': {
      const group = await requireGroup(context, name);
      return { name: group.groupName, path: group.path, id: group.groupId };
    }
  }
}

/**
 * The user a call is about: the one it names, or else the calling IAM user (GetUser,
 * CreateAccessKey, ListAccessKeys, ... without UserName). Other callers must name one.
 */
export function targetUserName(userName: string | undefined, context: OperationContext): string {
  if (userName !== undefined) return userName;
  if (context.caller.type === 'IAMUser') return context.caller.userName;
  throw queryErrors.validation('Must specify userName when calling with non-User credentials');
}

/** A managed policy as IAM shows it, whether AWS's or the account's own. */
export type ResolvedPolicy = { awsManaged: true; policy: AwsManagedPolicy } | { awsManaged: false; policy: ManagedPolicy };

/** A managed policy the caller may use: an AWS managed one, or one of its own account. */
export async function findPolicy(context: OperationContext, policyArn: string): Promise<ResolvedPolicy | undefined> {
  const awsManaged = awsManagedPolicyByArn(policyArn);
  if (awsManaged !== undefined) return { awsManaged: true, policy: awsManaged };
  const own = await storeOf(context).getManagedPolicy(policyArn);
  // Another account's policy is not there for this caller: accounts are tenants.
  if (own === undefined || own.accountId !== context.caller.accountId) return undefined;
  return { awsManaged: false, policy: own };
}

export async function requirePolicy(context: OperationContext, policyArn: string): Promise<ResolvedPolicy> {
  const found = await findPolicy(context, policyArn);
  if (found === undefined) throw iamErrors.noSuchPolicy(policyArn);
  return found;
}

/** A customer managed policy of the caller's account (versions, deletion: AWS's cannot change). */
export async function requireOwnPolicy(context: OperationContext, policyArn: string): Promise<ManagedPolicy> {
  const found = await requirePolicy(context, policyArn);
  if (found.awsManaged) throw iamErrors.unmodifiable(policyArn);
  return found.policy;
}
