/**
 * The ARN that authorization checks for a call on an existing user, role or group: with the
 * entity's own path and name as stored, so that policies naming paths (`user/admins/*`) apply
 * to it as in IAM. An entity that does not exist is named with path `/`; the call fails on it
 * anyway (NoSuchEntity), and a denial says which name was asked for.
 */
import type { OperationContext } from '../../api/operation-context.js';
import type { PrincipalKind } from '../../iam/identity-store.js';
import { iamArn } from './arns.js';

export async function entityArn(kind: PrincipalKind, name: string | undefined, context: OperationContext): Promise<string> {
  const accountId = context.caller.accountId;
  // Authorization runs before validation: the name may be missing or of the wrong type.
  if (typeof name !== 'string' || name === '') return iamArn(accountId, kind, '/', String(name ?? ''));
  const store = context.services.identity.store;
  const found =
    kind === 'user'
      ? await store.getUser(accountId, name).then((u) => u && { path: u.path, name: u.userName })
      : kind === 'role'
        ? await store.getRole(accountId, name).then((r) => r && { path: r.path, name: r.roleName })
        : await store.getGroup(accountId, name).then((g) => g && { path: g.path, name: g.groupName });
  return iamArn(accountId, kind, found?.path ?? '/', found?.name ?? name);
}
