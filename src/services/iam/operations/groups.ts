/**
 * Groups and membership: CreateGroup, GetGroup (with its users), ListGroups, DeleteGroup,
 * AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser. A user's policies include its groups'
 * (IdentityService.policiesOfPrincipal).
 */
import { entityArn } from '../entity-arn.js';
import { newIamId } from '../../../core/ids.js';
import type { Group } from '../../../iam/identity-store.js';
import { groupArnOf } from '../arns.js';
import { iamErrors } from '../errors.js';
import { principalOf, requireGroup, requireUser, storeOf } from '../lookups.js';
import { NAME_LIMITS, checkName, checkPath, checkPathPrefix, hasPathPrefix } from '../names.js';
import { page, sortedBy } from '../paging.js';
import { groupShape, userShape } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const GROUPS_PER_USER = 10;

const groupKey = (g: Group) => g.groupName.toLowerCase();

export const createGroup: OperationSpec<'CreateGroup'> = {
  authorizationResource: (input, context) => groupArnOf(context.caller.accountId, input.Path ?? '/', input.GroupName),
  async handle(input, context) {
    checkName(input.GroupName, 'groupName', NAME_LIMITS.group);
    const path = input.Path ?? '/';
    checkPath(path);
    const accountId = context.caller.accountId;
    if ((await storeOf(context).getGroup(accountId, input.GroupName)) !== undefined) throw iamErrors.alreadyExists('group', input.GroupName);
    const group: Group = { accountId, groupName: input.GroupName, groupId: newIamId('AGPA'), path, createdAt: context.nowMs };
    context.stage({ kind: 'createGroup', group }, { exists: iamErrors.alreadyExists('group', input.GroupName) });
    return { Group: groupShape(group) };
  },
};

export const getGroup: OperationSpec<'GetGroup'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    const group = await requireGroup(context, input.GroupName);
    const members = await storeOf(context).listGroupMembers(group.accountId, group.groupName);
    const key = (u: { userName: string }) => u.userName.toLowerCase();
    const result = page(sortedBy(members, key), key, input);
    return {
      Group: groupShape(group),
      Users: result.items.map((u) => userShape(u)),
      IsTruncated: result.IsTruncated,
      ...(result.Marker !== undefined && { Marker: result.Marker }),
    };
  },
};

export const listGroups: OperationSpec<'ListGroups'> = {
  async handle(input, context) {
    if (input.PathPrefix !== undefined) checkPathPrefix(input.PathPrefix);
    const groups = (await storeOf(context).listGroups(context.caller.accountId)).filter((g) => hasPathPrefix(g.path, input.PathPrefix));
    const result = page(sortedBy(groups, groupKey), groupKey, input);
    return { Groups: result.items.map(groupShape), IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const listGroupsForUser: OperationSpec<'ListGroupsForUser'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    const user = await requireUser(context, input.UserName);
    const groups = await storeOf(context).listGroupsOfUser(user.accountId, user.userName);
    const result = page(sortedBy(groups, groupKey), groupKey, input);
    return { Groups: result.items.map(groupShape), IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const deleteGroup: OperationSpec<'DeleteGroup'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    const group = await requireGroup(context, input.GroupName);
    const store = storeOf(context);
    const principal = principalOf(context, 'group', group.groupName);
    if ((await store.listGroupMembers(group.accountId, group.groupName)).length > 0) throw iamErrors.mustRemoveFromGroups();
    if ((await store.listInlinePolicies(principal)).length > 0) throw iamErrors.mustDeletePolicies();
    if ((await store.listAttachedPolicyArns(principal)).length > 0) throw iamErrors.mustDetachPolicies();
    context.stage(
      { kind: 'deleteGroup', accountId: group.accountId, groupName: group.groupName },
      { missing: iamErrors.noSuchEntity('group', input.GroupName), inUse: iamErrors.mustRemoveFromGroups() },
    );
    return {};
  },
};

export const addUserToGroup: OperationSpec<'AddUserToGroup'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    const group = await requireGroup(context, input.GroupName);
    const user = await requireUser(context, input.UserName);
    const groups = await storeOf(context).listGroupsOfUser(user.accountId, user.userName);
    // Already a member: nothing changes, and IAM answers success.
    if (groups.some((g) => g.groupName === group.groupName)) return {};
    if (groups.length >= GROUPS_PER_USER) throw iamErrors.groupsPerUser(GROUPS_PER_USER);
    context.stage(
      { kind: 'addUserToGroup', accountId: group.accountId, groupName: group.groupName, userName: user.userName },
      { missing: iamErrors.noSuchEntity('group', input.GroupName), inUse: iamErrors.groupsPerUser(GROUPS_PER_USER) },
    );
    return {};
  },
};

export const removeUserFromGroup: OperationSpec<'RemoveUserFromGroup'> = {
  authorizationResource: async (input, context) => entityArn('group', input.GroupName, context),
  async handle(input, context) {
    const group = await requireGroup(context, input.GroupName);
    const user = await requireUser(context, input.UserName);
    const members = await storeOf(context).listGroupMembers(group.accountId, group.groupName);
    if (!members.some((u) => u.userName === user.userName)) throw iamErrors.noSuchEntity('user', input.UserName);
    context.stage(
      { kind: 'removeUserFromGroup', accountId: group.accountId, groupName: group.groupName, userName: user.userName },
      { missing: iamErrors.noSuchEntity('user', input.UserName) },
    );
    return {};
  },
};
