/** IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser. */
import { entityArn } from '../entity-arn.js';
import { newUserPrincipalId } from '../../../core/ids.js';
import type { IamTag } from '../../../iam/identity-store.js';
import { userArnOf } from '../arns.js';
import { iamErrors } from '../errors.js';
import { principalOf, requireUser, storeOf, targetUserName } from '../lookups.js';
import type { Tag } from '../model.gen.js';
import { NAME_LIMITS, checkName, checkPath, checkPathPrefix, hasPathPrefix } from '../names.js';
import { page, sortedBy } from '../paging.js';
import { userShape } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';

/** Tag keys are unique whatever their case, as in IAM. */
export function checkedTags(tags: readonly Tag[] | undefined): IamTag[] {
  const list = (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
  const keys = new Set(list.map((t) => t.Key.toLowerCase()));
  if (keys.size !== list.length) throw iamErrors.invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  return list;
}

/** Permissions boundaries are not evaluated by OpenTrail: refused rather than silently ignored. */
export function refuseBoundary(boundary: string | undefined): void {
  if (boundary !== undefined) throw iamErrors.invalidInput('Permissions boundaries are not supported by OpenTrail.');
}

export const createUser: OperationSpec<'CreateUser'> = {
  authorizationResource: (input, context) => userArnOf(context.caller.accountId, input.Path ?? '/', input.UserName),
  async handle(input, context) {
    checkName(input.UserName, 'userName', NAME_LIMITS.user);
    const path = input.Path ?? '/';
    checkPath(path);
    refuseBoundary(input.PermissionsBoundary);
    const tags = checkedTags(input.Tags);
    const accountId = context.caller.accountId;
    if ((await storeOf(context).getUser(accountId, input.UserName)) !== undefined) throw iamErrors.alreadyExists('user', input.UserName);
    const user = { accountId, userName: input.UserName, principalId: newUserPrincipalId(), path, tags, createdAt: context.nowMs };
    context.stage({ kind: 'createUser', user }, { exists: iamErrors.alreadyExists('user', input.UserName) });
    return { User: userShape(user, { withTags: true }) };
  },
};

export const getUser: OperationSpec<'GetUser'> = {
  authorizationResource: async (input, context) => (input.UserName === undefined ? context.caller.arn : entityArn('user', input.UserName, context)),
  async handle(input, context) {
    const user = await requireUser(context, targetUserName(input.UserName, context));
    return { User: userShape(user, { withTags: true }) };
  },
};

export const listUsers: OperationSpec<'ListUsers'> = {
  async handle(input, context) {
    if (input.PathPrefix !== undefined) checkPathPrefix(input.PathPrefix);
    const users = (await storeOf(context).listUsers(context.caller.accountId)).filter((u) => hasPathPrefix(u.path, input.PathPrefix));
    const key = (u: { userName: string }) => u.userName.toLowerCase();
    const result = page(sortedBy(users, key), key, input);
    return { Users: result.items.map((u) => userShape(u)), IsTruncated: result.IsTruncated, ...(result.Marker !== undefined && { Marker: result.Marker }) };
  },
};

export const updateUser: OperationSpec<'UpdateUser'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    const user = await requireUser(context, input.UserName);
    if (input.NewPath !== undefined) checkPath(input.NewPath, 'newPath');
    if (input.NewUserName !== undefined) {
      checkName(input.NewUserName, 'newUserName', NAME_LIMITS.user);
      const other = await storeOf(context).getUser(user.accountId, input.NewUserName);
      if (other !== undefined && other.principalId !== user.principalId) throw iamErrors.alreadyExists('user', input.NewUserName);
    }
    context.stage(
      {
        kind: 'updateUser',
        accountId: user.accountId,
        userName: user.userName,
        ...(input.NewUserName !== undefined && { newUserName: input.NewUserName }),
        ...(input.NewPath !== undefined && { newPath: input.NewPath }),
      },
      { missing: iamErrors.noSuchEntity('user', input.UserName), exists: iamErrors.alreadyExists('user', input.NewUserName ?? input.UserName) },
    );
    return {};
  },
};

export const deleteUser: OperationSpec<'DeleteUser'> = {
  authorizationResource: async (input, context) => entityArn('user', input.UserName, context),
  async handle(input, context) {
    const user = await requireUser(context, input.UserName);
    const store = storeOf(context);
    const principal = principalOf(context, 'user', user.userName);
    // IAM's order of refusals: what the user holds must go before the user does.
    if ((await store.listUserAccessKeys(user.accountId, user.userName)).length > 0) throw iamErrors.mustDeleteAccessKeys();
    if ((await store.listInlinePolicies(principal)).length > 0) throw iamErrors.mustDeletePolicies();
    if ((await store.listAttachedPolicyArns(principal)).length > 0) throw iamErrors.mustDetachPolicies();
    if ((await store.listGroupsOfUser(user.accountId, user.userName)).length > 0) throw iamErrors.mustRemoveFromGroups();
    context.stage(
      { kind: 'deleteUser', accountId: user.accountId, userName: user.userName },
      // Something attached meanwhile (the commit checks): most likely a key.
      { missing: iamErrors.noSuchEntity('user', input.UserName), inUse: iamErrors.deleteConflict('Cannot delete entity, must delete access keys first.') },
    );
    return {};
  },
};
