/**
 * Identity changes of roles, groups, STS sessions and organizations, and their conflicts. The
 * same cases on every backend.
 */
import { describe, expect, it } from 'vitest';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import { ACCOUNT, OTHER, groupChange, principal, role, session, useIdentityStore, user } from './identity-fixtures.js';

const ORG = 'o-abcdefghij';

function createOrganization(managementAccountId = ACCOUNT, orgId = ORG): IdentityChange {
  return {
    kind: 'createOrganization',
    organization: { orgId, managementAccountId, featureSet: 'ALL', createdAt: 8 },
    managementAccount: { orgId, accountId: managementAccountId, name: 'test', email: 'm@example.com', joinedMethod: 'INVITED', joinedAt: 8 },
  };
}

function member(accountId: string, orgId = ORG): IdentityChange {
  return { kind: 'addOrganizationAccount', member: { orgId, accountId, name: 'member', email: 'x@example.com', joinedMethod: 'CREATED', joinedAt: 9 } };
}

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`identity changes of roles, groups, sessions and organizations on ${backend.name}`, () => {
    const t = useIdentityStore(backend);

    it('createRole: names unique whatever their case, role ids unique, the account must exist', async () => {
      await t.commit({ kind: 'createRole', role: role('Deploy') });
      expect(await t.conflictOf({ kind: 'createRole', role: role('deploy', { roleId: 'AROAOTHER00000000001' }) })).toBe('exists');
      expect(await t.conflictOf({ kind: 'createRole', role: role('other', { roleId: role('Deploy').roleId }) })).toBe('exists');
      expect(await t.conflictOf({ kind: 'createRole', role: role('orphan', { accountId: '000000000000' }) })).toBe('missing');
    });

    it('updateRole and updateAssumeRolePolicy: change only what is given; missing for an unknown role', async () => {
      await t.commit({ kind: 'createRole', role: role('Deploy', { description: 'old' }) });
      await t.commit({ kind: 'updateRole', accountId: ACCOUNT, roleName: 'deploy', maxSessionDuration: 7200 });
      expect(await t.store.getRole(ACCOUNT, 'Deploy')).toMatchObject({ description: 'old', maxSessionDuration: 7200 });
      await t.commit({ kind: 'updateRole', accountId: ACCOUNT, roleName: 'DEPLOY', description: 'new' });
      expect(await t.store.getRole(ACCOUNT, 'Deploy')).toMatchObject({ description: 'new', maxSessionDuration: 7200 });
      expect(await t.conflictOf({ kind: 'updateRole', accountId: ACCOUNT, roleName: 'ghost', description: 'x' })).toBe('missing');
      await t.commit({ kind: 'updateAssumeRolePolicy', accountId: ACCOUNT, roleName: 'deploy', document: '{"new":true}' });
      expect((await t.store.getRole(ACCOUNT, 'Deploy'))?.trustPolicy).toBe('{"new":true}');
      expect(await t.conflictOf({ kind: 'updateAssumeRolePolicy', accountId: OTHER, roleName: 'deploy', document: '{}' })).toBe('missing');
    });

    it('deleteRole: refused while it has policies (DeleteConflict); missing once gone', async () => {
      const ops = principal('role', 'ops');
      await t.commit({ kind: 'createRole', role: role('ops') }, { kind: 'putInlinePolicy', policy: { principal: ops, policyName: 'p', document: '{}' } });
      expect(await t.conflictOf({ kind: 'deleteRole', accountId: ACCOUNT, roleName: 'OPS' })).toBe('inUse');
      await t.commit({ kind: 'deleteInlinePolicy', principal: ops, policyName: 'p' }, { kind: 'attachPolicy', principal: ops, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      expect(await t.conflictOf({ kind: 'deleteRole', accountId: ACCOUNT, roleName: 'ops' })).toBe('inUse');
      await t.commit({ kind: 'detachPolicy', principal: ops, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { kind: 'deleteRole', accountId: ACCOUNT, roleName: 'OPS' });
      expect(await t.store.getRole(ACCOUNT, 'ops')).toBeUndefined();
      expect(await t.conflictOf({ kind: 'deleteRole', accountId: ACCOUNT, roleName: 'ops' })).toBe('missing');
    });

    it('createGroup and deleteGroup: unique names; refused while it has members or policies; missing once gone', async () => {
      const devs = principal('group', 'devs');
      await t.commit(groupChange('devs'), { kind: 'createUser', user: user('bob') });
      expect(await t.conflictOf(groupChange('DEVS'))).toBe('exists');
      await t.commit({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' });
      expect(await t.conflictOf({ kind: 'deleteGroup', accountId: ACCOUNT, groupName: 'Devs' })).toBe('inUse');
      await t.commit({ kind: 'removeUserFromGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' }, { kind: 'attachPolicy', principal: devs, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      expect(await t.conflictOf({ kind: 'deleteGroup', accountId: ACCOUNT, groupName: 'devs' })).toBe('inUse');
      await t.commit({ kind: 'detachPolicy', principal: devs, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { kind: 'deleteGroup', accountId: ACCOUNT, groupName: 'DEVS' });
      expect(await t.store.getGroup(ACCOUNT, 'devs')).toBeUndefined();
      expect(await t.conflictOf({ kind: 'deleteGroup', accountId: ACCOUNT, groupName: 'devs' })).toBe('missing');
    });

    it('addUserToGroup: both must exist, once, ten groups a user at most; removeUserFromGroup: only a member', async () => {
      await t.commit(groupChange('devs'), { kind: 'createUser', user: user('bob') });
      expect(await t.conflictOf({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'ghost' })).toBe('missing');
      expect(await t.conflictOf({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'ghosts', userName: 'bob' })).toBe('missing');
      await t.commit({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'DEVS', userName: 'BOB' });
      // Stored under the names as created.
      expect((await t.store.listGroupMembers(ACCOUNT, 'devs')).map((u) => u.userName)).toEqual(['bob']);
      expect(await t.conflictOf({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' })).toBe('missing');
      const nine = Array.from({ length: 9 }, (_, i) => `g${i}`);
      await t.commit(...nine.map(groupChange), ...nine.map((g): IdentityChange => ({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: g, userName: 'bob' })));
      await t.commit(groupChange('g9'));
      expect(await t.conflictOf({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'g9', userName: 'bob' })).toBe('inUse');
      expect(await t.store.listGroupsOfUser(ACCOUNT, 'bob')).toHaveLength(10);
      await t.commit({ kind: 'removeUserFromGroup', accountId: ACCOUNT, groupName: 'Devs', userName: 'Bob' });
      expect(await t.store.listGroupMembers(ACCOUNT, 'devs')).toEqual([]);
      expect(await t.conflictOf({ kind: 'removeUserFromGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' })).toBe('missing');
    });

    it('createSession: a taken key id exists', async () => {
      await t.commit({ kind: 'createSession', session: session('ASIASESSION000000001', 5000) });
      expect(await t.conflictOf({ kind: 'createSession', session: session('ASIASESSION000000001', 6000) })).toBe('exists');
      expect((await t.store.findSession('ASIASESSION000000001'))?.expiresAt).toBe(5000);
    });

    it('createOrganization and addOrganizationAccount: an account is in one organization; the organization and account must exist', async () => {
      await t.commit(createOrganization());
      expect(await t.store.listOrganizationAccounts(ORG)).toEqual([{ orgId: ORG, accountId: ACCOUNT, name: 'test', email: 'm@example.com', joinedMethod: 'INVITED', joinedAt: 8 }]);
      expect(await t.conflictOf(createOrganization(ACCOUNT, 'o-zzzzzzzzzz'))).toBe('exists');
      expect(await t.conflictOf(createOrganization('000000000000', 'o-yyyyyyyyyy'))).toBe('missing');
      await t.commit({ kind: 'createAccount', account: { accountId: OTHER, name: 'member', createdAt: 9 } }, member(OTHER));
      expect((await t.store.organizationOfAccount(OTHER))?.managementAccountId).toBe(ACCOUNT);
      expect((await t.store.listOrganizationAccounts(ORG)).map((a) => a.accountId)).toEqual([ACCOUNT, OTHER]);
      expect(await t.conflictOf(member(OTHER))).toBe('exists');
      expect(await t.conflictOf(member('999999999999'))).toBe('missing');
      await t.commit({ kind: 'createAccount', account: { accountId: '999999999999', name: 'late', createdAt: 10 } });
      expect(await t.conflictOf(member('999999999999', 'o-zzzzzzzzzz'))).toBe('missing');
    });

    it('putCreateAccountRequest: inserts, then updates the outcome of the same request', async () => {
      await t.commit(createOrganization());
      const request = { requestId: 'car-aaaaaaaa', orgId: ORG, accountName: 'a', email: 'a@example.com', state: 'IN_PROGRESS' as const, requestedAt: 10 };
      await t.commit({ kind: 'putCreateAccountRequest', request });
      expect(await t.store.getCreateAccountRequest('car-aaaaaaaa')).toEqual(request);
      await t.commit({ kind: 'putCreateAccountRequest', request: { ...request, state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS', completedAt: 12 } });
      expect(await t.store.getCreateAccountRequest('car-aaaaaaaa')).toEqual({ ...request, state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS', completedAt: 12 });
      await t.commit({ kind: 'putCreateAccountRequest', request: { ...request, state: 'SUCCEEDED', accountId: OTHER, completedAt: 13 } });
      expect(await t.store.getCreateAccountRequest('car-aaaaaaaa')).toEqual({ ...request, state: 'SUCCEEDED', accountId: OTHER, completedAt: 13 });
      expect(await t.store.listCreateAccountRequests(ORG)).toHaveLength(1);
    });

    it('registerDelegatedAdmin and deregisterDelegatedAdmin: once per service; the organization must exist; only a registered one', async () => {
      await t.commit(createOrganization());
      const admin = { orgId: ORG, accountId: OTHER, servicePrincipal: 'cloudtrail.amazonaws.com', registeredAt: 12 };
      await t.commit({ kind: 'registerDelegatedAdmin', admin });
      expect(await t.store.listDelegatedAdmins(ORG)).toEqual([admin]);
      expect(await t.conflictOf({ kind: 'registerDelegatedAdmin', admin: { ...admin, registeredAt: 13 } })).toBe('exists');
      expect(await t.conflictOf({ kind: 'registerDelegatedAdmin', admin: { ...admin, orgId: 'o-zzzzzzzzzz' } })).toBe('missing');
      const deregister = { kind: 'deregisterDelegatedAdmin', orgId: ORG, accountId: OTHER, servicePrincipal: 'cloudtrail.amazonaws.com' } as const;
      expect(await t.conflictOf({ ...deregister, servicePrincipal: 'config.amazonaws.com' })).toBe('missing');
      await t.commit(deregister);
      expect(await t.store.listDelegatedAdmins(ORG)).toEqual([]);
      expect(await t.conflictOf(deregister)).toBe('missing');
    });
  });
}
