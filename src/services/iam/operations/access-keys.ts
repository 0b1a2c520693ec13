/**
 * Access keys: CreateAccessKey (at most 2 per user), ListAccessKeys, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed. Without UserName they act on the calling user. The
 * secret is answered once by CreateAccessKey; the query protocol leaves it out of the record
 * (its shape is sensitive in the model).
 */
import { entityArn } from '../entity-arn.js';
import type { OperationContext } from '../../../api/operation-context.js';
import type { StoredAccessKey } from '../../../iam/identity-store.js';
import { iamErrors } from '../errors.js';
import { requireUser, storeOf, targetUserName } from '../lookups.js';
import { page, sortedBy } from '../paging.js';
import { seconds } from '../shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const ACCESS_KEYS_PER_USER = 2;

async function userResource(userName: string | undefined, context: OperationContext): Promise<string> {
  return userName === undefined ? context.caller.arn : entityArn('user', userName, context);
}

/** A key of the named user (or the caller), in the caller's account. */
async function requireUserKey(context: OperationContext, userName: string | undefined, accessKeyId: string): Promise<StoredAccessKey> {
  const user = await requireUser(context, targetUserName(userName, context));
  const key = await storeOf(context).findAccessKey(accessKeyId);
  if (key === undefined || key.accountId !== user.accountId || key.userName !== user.userName) throw iamErrors.noSuchAccessKey(accessKeyId);
  return key;
}

export const createAccessKey: OperationSpec<'CreateAccessKey'> = {
  authorizationResource: async (input, context) => userResource(input.UserName, context),
  async handle(input, context) {
    const user = await requireUser(context, targetUserName(input.UserName, context));
    if ((await storeOf(context).listUserAccessKeys(user.accountId, user.userName)).length >= ACCESS_KEYS_PER_USER) {
      throw iamErrors.accessKeysPerUser(ACCESS_KEYS_PER_USER);
    }
    const { key, secretAccessKey } = context.services.identity.newAccessKey(user.accountId, user.userName, context.nowMs, context.presetAccessKey);
    context.stage(
      { kind: 'createAccessKey', key },
      { missing: iamErrors.noSuchEntity('user', user.userName), inUse: iamErrors.accessKeysPerUser(ACCESS_KEYS_PER_USER) },
    );
    return {
      AccessKey: { UserName: user.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: secretAccessKey, CreateDate: seconds(key.createdAt) },
    };
  },
};

export const listAccessKeys: OperationSpec<'ListAccessKeys'> = {
  authorizationResource: async (input, context) => userResource(input.UserName, context),
  async handle(input, context) {
    const user = await requireUser(context, targetUserName(input.UserName, context));
    const keys = await storeOf(context).listUserAccessKeys(user.accountId, user.userName);
    const key = (k: StoredAccessKey) => k.accessKeyId;
    const result = page(sortedBy(keys, key), key, input);
    return {
      AccessKeyMetadata: result.items.map((k) => ({ UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: seconds(k.createdAt) })),
      IsTruncated: result.IsTruncated,
      ...(result.Marker !== undefined && { Marker: result.Marker }),
    };
  },
};

export const updateAccessKey: OperationSpec<'UpdateAccessKey'> = {
  authorizationResource: async (input, context) => userResource(input.UserName, context),
  async handle(input, context) {
    const key = await requireUserKey(context, input.UserName, input.AccessKeyId);
    if (input.Status === 'Expired') throw iamErrors.invalidInput('Status must be Active or Inactive.');
    context.stage({ kind: 'setAccessKeyStatus', accountId: key.accountId, accessKeyId: key.accessKeyId, status: input.Status }, { missing: iamErrors.noSuchAccessKey(key.accessKeyId) });
    return {};
  },
};

export const deleteAccessKey: OperationSpec<'DeleteAccessKey'> = {
  authorizationResource: async (input, context) => userResource(input.UserName, context),
  async handle(input, context) {
    const key = await requireUserKey(context, input.UserName, input.AccessKeyId);
    context.stage({ kind: 'deleteAccessKey', accountId: key.accountId, accessKeyId: key.accessKeyId }, { missing: iamErrors.noSuchAccessKey(key.accessKeyId) });
    return {};
  },
};

export const getAccessKeyLastUsed: OperationSpec<'GetAccessKeyLastUsed'> = {
  async handle(input, context) {
    const key = await storeOf(context).findAccessKey(input.AccessKeyId);
    if (key === undefined || key.accountId !== context.caller.accountId) throw iamErrors.noSuchAccessKey(input.AccessKeyId);
    const used = await context.services.identity.accessKeyLastUsed(key.accessKeyId);
    return {
      UserName: key.userName,
      // IAM answers N/A for a key never used.
      AccessKeyLastUsed:
        used === undefined ? { ServiceName: 'N/A', Region: 'N/A' } : { LastUsedDate: seconds(used.timeMs), ServiceName: used.serviceName, Region: used.region },
    };
  },
};
