/**
 * The identity port's reads and its direct writes (bootstrap, bookkeeping, housekeeping), the
 * same cases on every backend. Changes made by API calls: identity-changes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError } from '../../src/iam/identity-store.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import { ACCOUNT, OTHER, groupChange, key, managedPolicyChange, policyArn, principal, role, session, useIdentityStore, user, version } from './identity-fixtures.js';

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`identity store on ${backend.name}`, () => {
    const t = useIdentityStore(backend);

    it('accounts: created once, found by id, listed by creation time then id', async () => {
      await t.store.createAccount({ accountId: '999999999999', name: 'late', createdAt: 9 });
      await t.store.createAccount({ accountId: OTHER, name: 'tie', createdAt: 9 });
      await expect(t.store.createAccount({ accountId: ACCOUNT, name: 'again', createdAt: 10 })).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await t.store.getAccount(ACCOUNT)).toEqual({ accountId: ACCOUNT, name: 'test', createdAt: 1 });
      expect(await t.store.getAccount('000000000000')).toBeUndefined();
      expect((await t.store.listAccounts()).map((a) => a.accountId)).toEqual([ACCOUNT, OTHER, '999999999999']);
    });

    it('users: unique whatever the case, found whatever the case, listed ignoring case', async () => {
      const alice = { ...user('Alice'), path: '/team/', tags: [{ Key: 'k', Value: 'v' }] };
      await t.store.createUser(alice);
      await t.store.createUser(user('bob'));
      await t.store.createUser(user('_ops'));
      await t.store.createUser(user('Carol'));
      await expect(t.store.createUser(user('ALICE'))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await t.store.getUser(ACCOUNT, 'alice')).toEqual(alice);
      expect(await t.store.getUser(OTHER, 'alice')).toBeUndefined();
      expect(await t.store.getUser(ACCOUNT, 'nobody')).toBeUndefined();
      // SQLite's NOCASE: ASCII lowered, then byte order ('_' sorts before letters once lowered).
      expect((await t.store.listUsers(ACCOUNT)).map((u) => u.userName)).toEqual(['_ops', 'Alice', 'bob', 'Carol']);
      expect(await t.store.listUsers(OTHER)).toEqual([]);
    });

    it('access keys: unique ids, found by id, listed per account and per user', async () => {
      await t.store.createUser(user('bob'));
      await t.store.createUser(user('Alice'));
      await t.store.createAccessKey(key('AKIABOB0000000000002', 'bob', 7));
      await t.store.createAccessKey(key('AKIABOB0000000000001', 'bob', 6));
      await t.store.createAccessKey({ ...key('AKIAALICE00000000001', 'Alice', 8), status: 'Inactive' });
      await expect(t.store.createAccessKey(key('AKIABOB0000000000001', 'bob'))).rejects.toBeInstanceOf(AlreadyExistsError);
      // A key refers to its user's row.
      await expect(t.store.createAccessKey(key('AKIAGHOST00000000001', 'ghost'))).rejects.toThrow();
      expect(await t.store.findAccessKey('AKIAALICE00000000001')).toEqual({ ...key('AKIAALICE00000000001', 'Alice', 8), status: 'Inactive' });
      expect(await t.store.findAccessKey('AKIANONE000000000000')).toBeUndefined();
      // By user name as stored (byte order: upper case first), then creation.
      expect((await t.store.listAccessKeys(ACCOUNT)).map((k) => k.accessKeyId)).toEqual(['AKIAALICE00000000001', 'AKIABOB0000000000001', 'AKIABOB0000000000002']);
      expect((await t.store.listUserAccessKeys(ACCOUNT, 'BOB')).map((k) => k.accessKeyId)).toEqual(['AKIABOB0000000000001', 'AKIABOB0000000000002']);
      expect(await t.store.listUserAccessKeys(ACCOUNT, 'nobody')).toEqual([]);
      expect(await t.store.listAccessKeys(OTHER)).toEqual([]);
    });

    it("a key's last use: unknown until noted, and only a later use replaces it", async () => {
      await t.store.createUser(user('bob'));
      await t.store.createAccessKey(key('AKIABOB0000000000001', 'bob'));
      expect(await t.store.accessKeyLastUsed('AKIABOB0000000000001')).toBeUndefined();
      await t.store.noteAccessKeyUsed('AKIABOB0000000000001', { timeMs: 100, serviceName: 'cloudtrail', region: 'us-east-1' });
      await t.store.noteAccessKeyUsed('AKIABOB0000000000001', { timeMs: 50, serviceName: 'iam', region: 'eu-west-1' });
      expect(await t.store.accessKeyLastUsed('AKIABOB0000000000001')).toEqual({ timeMs: 100, serviceName: 'cloudtrail', region: 'us-east-1' });
      await t.store.noteAccessKeyUsed('AKIABOB0000000000001', { timeMs: 200, serviceName: 'sts', region: 'eu-west-1' });
      expect(await t.store.accessKeyLastUsed('AKIABOB0000000000001')).toEqual({ timeMs: 200, serviceName: 'sts', region: 'eu-west-1' });
    });

    it('inline policies put directly: inserted, replaced by name, found and listed ignoring case', async () => {
      await t.store.createUser(user('Admin'));
      const admin = principal('user', 'Admin');
      await t.store.putInlinePolicy({ principal: admin, policyName: 'Zeta', document: '{"z":1}' });
      await t.store.putInlinePolicy({ principal: admin, policyName: 'alpha', document: '{"a":1}' });
      await t.store.putInlinePolicy({ principal: admin, policyName: 'alpha', document: '{"a":2}' });
      expect(await t.store.getInlinePolicy(principal('user', 'admin'), 'ALPHA')).toEqual({ principal: admin, policyName: 'alpha', document: '{"a":2}' });
      expect(await t.store.getInlinePolicy(admin, 'beta')).toBeUndefined();
      expect(await t.store.getInlinePolicy(principal('role', 'Admin'), 'alpha')).toBeUndefined();
      expect((await t.store.listInlinePolicies(principal('user', 'ADMIN'))).map((p) => p.policyName)).toEqual(['alpha', 'Zeta']);
      expect(await t.store.listInlinePolicies(principal('group', 'Admin'))).toEqual([]);
    });

    it('managed policies attached directly: once each, listed by ARN and by policy', async () => {
      await t.store.createUser(user('bob'));
      const bob = principal('user', 'bob');
      await t.store.attachPolicy(bob, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      await t.store.attachPolicy(bob, 'arn:aws:iam::aws:policy/AdministratorAccess');
      await t.store.attachPolicy(bob, 'arn:aws:iam::aws:policy/AdministratorAccess');
      await t.store.attachPolicy(principal('role', 'ops'), 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      await t.store.attachPolicy({ accountId: OTHER, kind: 'user', name: 'x' }, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      expect(await t.store.listAttachedPolicyArns(principal('user', 'BOB'))).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
      expect(await t.store.listAttachedPolicyArns(principal('group', 'bob'))).toEqual([]);
      expect(await t.store.listPolicyAttachments('arn:aws:iam::aws:policy/ReadOnlyAccess', ACCOUNT)).toEqual([principal('role', 'ops'), bob]);
      expect(await t.store.listPolicyAttachments('arn:aws:iam::aws:policy/ReadOnlyAccess', OTHER)).toEqual([{ accountId: OTHER, kind: 'user', name: 'x' }]);
    });

    it('roles and groups: found whatever the case, listed ignoring case, members both ways', async () => {
      await t.commit(
        { kind: 'createRole', role: role('Deploy', { description: 'ships', tags: [{ Key: 'team', Value: 'a' }] }) },
        { kind: 'createRole', role: role('audit') },
        groupChange('Devs'),
        groupChange('admins'),
        { kind: 'createUser', user: user('bob') },
        { kind: 'createUser', user: user('Alice') },
        { kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'BOB' },
        { kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'alice' },
        { kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'ADMINS', userName: 'bob' },
      );
      expect(await t.store.getRole(ACCOUNT, 'deploy')).toEqual(role('Deploy', { description: 'ships', tags: [{ Key: 'team', Value: 'a' }] }));
      expect(await t.store.getRole(ACCOUNT, 'audit')).toEqual(role('audit'));
      expect(await t.store.getRole(OTHER, 'audit')).toBeUndefined();
      expect((await t.store.listRoles(ACCOUNT)).map((r) => r.roleName)).toEqual(['audit', 'Deploy']);
      expect(await t.store.getGroup(ACCOUNT, 'DEVS')).toEqual({ accountId: ACCOUNT, groupName: 'Devs', groupId: 'AGPADEVSXXXXXXXXXXXX', path: '/', createdAt: 4 });
      expect(await t.store.getGroup(ACCOUNT, 'nope')).toBeUndefined();
      expect((await t.store.listGroups(ACCOUNT)).map((g) => g.groupName)).toEqual(['admins', 'Devs']);
      expect((await t.store.listGroupMembers(ACCOUNT, 'DeVs')).map((u) => u.userName)).toEqual(['Alice', 'bob']);
      expect(await t.store.listGroupMembers(ACCOUNT, 'nope')).toEqual([]);
      expect((await t.store.listGroupsOfUser(ACCOUNT, 'Bob')).map((g) => g.groupName)).toEqual(['admins', 'Devs']);
      expect(await t.store.listGroupsOfUser(OTHER, 'bob')).toEqual([]);
    });

    it('managed policies: read back whole, listed ignoring case; versions newest number first, never reused', async () => {
      await t.commit(managedPolicyChange('Beta', { description: 'b', tags: [{ Key: 'k', Value: 'v' }] }), managedPolicyChange('alpha'));
      expect(await t.store.getManagedPolicy(policyArn('Beta'))).toEqual({
        policyArn: policyArn('Beta'),
        accountId: ACCOUNT,
        policyName: 'Beta',
        policyId: 'ANPABETAXXXXXXXXXXXX',
        path: '/',
        description: 'b',
        defaultVersionId: 'v1',
        createdAt: 5,
        updatedAt: 5,
        lastVersionNumber: 1,
        tags: [{ Key: 'k', Value: 'v' }],
      });
      expect(await t.store.getManagedPolicy(policyArn('alpha'))).toMatchObject({ tags: [], lastVersionNumber: 1 });
      expect((await t.store.getManagedPolicy(policyArn('alpha')))?.description).toBeUndefined();
      expect(await t.store.getManagedPolicy(policyArn('gamma'))).toBeUndefined();
      expect((await t.store.listManagedPolicies(ACCOUNT)).map((p) => p.policyName)).toEqual(['alpha', 'Beta']);
      expect(await t.store.listManagedPolicies(OTHER)).toEqual([]);
      // Numbers past 9 order as numbers (v10 before v9), and deleted ones leave gaps.
      const create = (n: number) => ({ kind: 'createPolicyVersion' as const, version: version('alpha', n), setAsDefault: true });
      const drop = (n: number) => ({ kind: 'deletePolicyVersion' as const, policyArn: policyArn('alpha'), versionId: `v${n}` });
      await t.commit(create(2), create(3), create(4), create(5), drop(1), drop(2), drop(3), drop(4));
      await t.commit(...[6, 7, 8, 9].map(create), drop(5), drop(6), drop(7), create(10));
      expect((await t.store.listPolicyVersions(policyArn('alpha'))).map((v) => v.versionId)).toEqual(['v10', 'v9', 'v8']);
      expect(await t.store.getPolicyVersion(policyArn('alpha'), 'v9')).toEqual(version('alpha', 9));
      expect(await t.store.getPolicyVersion(policyArn('alpha'), 'v1')).toBeUndefined();
      expect(await t.store.getManagedPolicy(policyArn('alpha'))).toMatchObject({ defaultVersionId: 'v10', lastVersionNumber: 10, updatedAt: version('alpha', 10).createdAt });
      expect(await t.store.listPolicyVersions(policyArn('gamma'))).toEqual([]);
    });

    it('sessions: found whole by key id; housekeeping deletes only those expired before the time', async () => {
      const withAll = session('ASIAFULL000000000001', 1000, {
        issuer: { kind: 'user', userName: 'bob' },
        sessionName: 'ci',
        mfaAuthenticated: true,
        sourceIdentity: 'me',
      });
      await t.commit({ kind: 'createSession', session: withAll }, { kind: 'createSession', session: session('ASIABARE000000000001', 2000) });
      expect(await t.store.findSession('ASIAFULL000000000001')).toEqual(withAll);
      const bare = await t.store.findSession('ASIABARE000000000001');
      expect(bare).toEqual(session('ASIABARE000000000001', 2000));
      expect(bare).not.toHaveProperty('sessionName');
      expect(bare).not.toHaveProperty('sourceIdentity');
      expect(await t.store.findSession('ASIANONE000000000000')).toBeUndefined();
      expect(await t.store.deleteSessionsExpiredBefore(1000)).toBe(0);
      expect(await t.store.deleteSessionsExpiredBefore(1500)).toBe(1);
      expect(await t.store.findSession('ASIAFULL000000000001')).toBeUndefined();
      expect(await t.store.findSession('ASIABARE000000000001')).toBeDefined();
    });

    it('organizations: of the management account and members, requests and delegated admins in order', async () => {
      const orgId = 'o-abcdefghij';
      await t.store.createAccount({ accountId: OTHER, name: 'member', createdAt: 2 });
      await t.store.createAccount({ accountId: '777788889999', name: 'loner', createdAt: 3 });
      await t.commit(
        {
          kind: 'createOrganization',
          organization: { orgId, managementAccountId: ACCOUNT, featureSet: 'ALL', createdAt: 8 },
          managementAccount: { orgId, accountId: ACCOUNT, name: 'test', email: 'm@example.com', joinedMethod: 'INVITED', joinedAt: 8 },
        },
        { kind: 'addOrganizationAccount', member: { orgId, accountId: OTHER, name: 'member', email: 'x@example.com', joinedMethod: 'CREATED', joinedAt: 9 } },
        { kind: 'putCreateAccountRequest', request: { requestId: 'car-bbbbbbbb', orgId, accountName: 'b', email: 'b@example.com', state: 'IN_PROGRESS', requestedAt: 11 } },
        { kind: 'putCreateAccountRequest', request: { requestId: 'car-aaaaaaaa', orgId, accountName: 'a', email: 'a@example.com', state: 'IN_PROGRESS', requestedAt: 10 } },
        { kind: 'registerDelegatedAdmin', admin: { orgId, accountId: OTHER, servicePrincipal: 'cloudtrail.amazonaws.com', registeredAt: 12 } },
        { kind: 'registerDelegatedAdmin', admin: { orgId, accountId: ACCOUNT, servicePrincipal: 'config.amazonaws.com', registeredAt: 12 } },
      );
      const organization = { orgId, managementAccountId: ACCOUNT, featureSet: 'ALL', createdAt: 8 };
      expect(await t.store.getOrganization(orgId)).toEqual(organization);
      expect(await t.store.getOrganization('o-zzzzzzzzzz')).toBeUndefined();
      expect(await t.store.organizationOfAccount(OTHER)).toEqual(organization);
      expect(await t.store.organizationOfAccount(ACCOUNT)).toEqual(organization);
      expect(await t.store.organizationOfAccount('777788889999')).toBeUndefined();
      expect(await t.store.getOrganizationAccount(OTHER)).toEqual({ orgId, accountId: OTHER, name: 'member', email: 'x@example.com', joinedMethod: 'CREATED', joinedAt: 9 });
      expect(await t.store.getOrganizationAccount('777788889999')).toBeUndefined();
      expect((await t.store.listOrganizationAccounts(orgId)).map((a) => a.accountId)).toEqual([ACCOUNT, OTHER]);
      expect(await t.store.listOrganizationAccounts('o-zzzzzzzzzz')).toEqual([]);
      const pending = await t.store.getCreateAccountRequest('car-aaaaaaaa');
      expect(pending).toEqual({ requestId: 'car-aaaaaaaa', orgId, accountName: 'a', email: 'a@example.com', state: 'IN_PROGRESS', requestedAt: 10 });
      expect(pending).not.toHaveProperty('completedAt');
      expect(await t.store.getCreateAccountRequest('car-none0000')).toBeUndefined();
      expect((await t.store.listCreateAccountRequests(orgId)).map((r) => r.requestId)).toEqual(['car-aaaaaaaa', 'car-bbbbbbbb']);
      expect((await t.store.listDelegatedAdmins(orgId)).map((a) => [a.accountId, a.servicePrincipal])).toEqual([
        [ACCOUNT, 'config.amazonaws.com'],
        [OTHER, 'cloudtrail.amazonaws.com'],
      ]);
      expect(await t.store.listDelegatedAdmins('o-zzzzzzzzzz')).toEqual([]);
    });

    it('bootstrap writes racing on one store: one wins, the other is told AlreadyExistsError', async () => {
      const outcomes = async (writes: Promise<void>[]) => (await Promise.allSettled(writes)).map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name));
      expect((await outcomes([0, 1].map(async () => t.store.createAccount({ accountId: OTHER, name: 'x', createdAt: 2 })))).sort()).toEqual(['AlreadyExistsError', 'ok']);
      expect((await outcomes(['admin', 'ADMIN'].map(async (name) => t.store.createUser(user(name, OTHER))))).sort()).toEqual(['AlreadyExistsError', 'ok']);
      const admin = (await t.store.getUser(OTHER, 'admin'))?.userName ?? '';
      const otherKey = { ...key('AKIAADMIN00000000001', admin), accountId: OTHER };
      expect((await outcomes([0, 1].map(async () => t.store.createAccessKey(otherKey)))).sort()).toEqual(['AlreadyExistsError', 'ok']);
    });
  });
}
