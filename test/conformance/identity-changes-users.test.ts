/**
 * Identity changes of accounts, users and access keys, committed with their call's record, and
 * refused (exists / missing / inUse) when what the handler checked became untrue meanwhile.
 * The same cases on every backend.
 */
import { describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../support/store-backends.js';
import { ACCOUNT, OTHER, groupChange, key, principal, useIdentityStore, user } from './identity-fixtures.js';

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`identity changes of users and keys on ${backend.name}`, () => {
    const t = useIdentityStore(backend);

    it('createAccount: a taken id is refused as exists', async () => {
      await t.commit({ kind: 'createAccount', account: { accountId: OTHER, name: 'member', createdAt: 9 } });
      expect(await t.store.getAccount(OTHER)).toEqual({ accountId: OTHER, name: 'member', createdAt: 9 });
      expect(await t.conflictOf({ kind: 'createAccount', account: { accountId: OTHER, name: 'again', createdAt: 10 } })).toBe('exists');
    });

    it('createUser: names are unique whatever their case, and found whatever the case asked; an unknown account is missing', async () => {
      await t.commit({ kind: 'createUser', user: user('Alice') });
      expect(await t.conflictOf({ kind: 'createUser', user: user('alice') })).toBe('exists');
      expect((await t.store.getUser(ACCOUNT, 'ALICE'))?.userName).toBe('Alice');
      expect(await t.conflictOf({ kind: 'createUser', user: user('bob', '000000000000') })).toBe('missing');
    });

    it('a refused change rolls back the whole call: the changes before it and its record', async () => {
      const before = await t.stores.events.lastSeq();
      expect(await t.conflictOf({ kind: 'createUser', user: user('dave') }, { kind: 'createAccessKey', key: key('AKIAGHOST00000000001', 'ghost') })).toBe('missing');
      expect(await t.store.getUser(ACCOUNT, 'dave')).toBeUndefined();
      expect(await t.store.findAccessKey('AKIAGHOST00000000001')).toBeUndefined();
      expect(await t.stores.events.lastSeq()).toBe(before);
    });

    it('updateUser: a new path; a missing user; a new name that is taken', async () => {
      await t.commit({ kind: 'createUser', user: user('erin') }, { kind: 'createUser', user: user('Frank') });
      await t.commit({ kind: 'updateUser', accountId: ACCOUNT, userName: 'ERIN', newPath: '/ops/' });
      expect(await t.store.getUser(ACCOUNT, 'erin')).toMatchObject({ userName: 'erin', path: '/ops/' });
      expect(await t.conflictOf({ kind: 'updateUser', accountId: ACCOUNT, userName: 'nobody', newPath: '/x/' })).toBe('missing');
      expect(await t.conflictOf({ kind: 'updateUser', accountId: ACCOUNT, userName: 'erin', newUserName: 'frank' })).toBe('exists');
      expect(await t.store.getUser(ACCOUNT, 'erin')).toMatchObject({ userName: 'erin', path: '/ops/' });
    });

    it('updateUser: a renamed user keeps its keys, policies and groups, also for a change of case only', async () => {
      const carol = principal('user', 'carol');
      await t.commit(
        { kind: 'createUser', user: user('carol') },
        { kind: 'createAccessKey', key: key('AKIACAROL00000000001', 'carol') },
        groupChange('devs'),
        { kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'DEVS', userName: 'Carol' },
        { kind: 'putInlinePolicy', policy: { principal: carol, policyName: 'p', document: '{}' } },
        { kind: 'attachPolicy', principal: carol, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      );
      const principalId = (await t.store.getUser(ACCOUNT, 'carol'))?.principalId;
      for (const newName of ['caroline', 'Caroline']) {
        await t.commit({ kind: 'updateUser', accountId: ACCOUNT, userName: carol.name, newUserName: newName, newPath: '/team/' });
        carol.name = newName;
        expect(await t.store.getUser(ACCOUNT, newName)).toMatchObject({ userName: newName, path: '/team/', principalId });
        expect((await t.store.listUsers(ACCOUNT)).map((u) => u.userName)).toEqual([newName]);
        expect((await t.store.listUserAccessKeys(ACCOUNT, newName)).map((k) => k.userName)).toEqual([newName]);
        expect((await t.store.findAccessKey('AKIACAROL00000000001'))?.userName).toBe(newName);
        expect((await t.store.listGroupMembers(ACCOUNT, 'devs')).map((u) => u.userName)).toEqual([newName]);
        expect((await t.store.listInlinePolicies(carol)).map((p) => p.principal.name)).toEqual([newName]);
        expect(await t.store.listPolicyAttachments('arn:aws:iam::aws:policy/ReadOnlyAccess', ACCOUNT)).toEqual([carol]);
      }
      expect(await t.store.getUser(ACCOUNT, 'carol')).toBeUndefined();
      // The renamed user's key still holds it: the foreign key followed the rename.
      expect(await t.conflictOf({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'caroline' })).toBe('inUse');
    });

    it('deleteUser: refused while it has keys, policies or groups (DeleteConflict); missing once gone', async () => {
      const bob = principal('user', 'bob');
      await t.commit({ kind: 'createUser', user: user('bob') }, { kind: 'createAccessKey', key: key('AKIABOB0000000000001', 'bob') });
      expect(await t.conflictOf({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'bob' })).toBe('inUse');
      await t.commit({ kind: 'deleteAccessKey', accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001' });
      for (const [attach, detach] of [
        [
          { kind: 'putInlinePolicy', policy: { principal: bob, policyName: 'p', document: '{}' } },
          { kind: 'deleteInlinePolicy', principal: bob, policyName: 'p' },
        ],
        [
          { kind: 'attachPolicy', principal: bob, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          { kind: 'detachPolicy', principal: bob, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
        ],
        [groupChange('devs'), { kind: 'removeUserFromGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' }],
      ] as const) {
        await t.commit(attach);
        if (attach.kind === 'createGroup') await t.commit({ kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'devs', userName: 'bob' });
        expect(await t.conflictOf({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'BOB' })).toBe('inUse');
        await t.commit(detach);
      }
      await t.commit({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'BOB' });
      expect(await t.store.getUser(ACCOUNT, 'bob')).toBeUndefined();
      expect(await t.conflictOf({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'bob' })).toBe('missing');
    });

    it('createAccessKey: a user deleted meanwhile is missing, a taken id exists, a third key is over the quota', async () => {
      expect(await t.conflictOf({ kind: 'createAccessKey', key: key('AKIAGHOST00000000001', 'ghost') })).toBe('missing');
      expect(await t.store.findAccessKey('AKIAGHOST00000000001')).toBeUndefined();
      await t.commit({ kind: 'createUser', user: user('bob') }, { kind: 'createUser', user: user('eve') }, { kind: 'createAccessKey', key: key('AKIABOB0000000000001', 'bob') });
      expect(await t.conflictOf({ kind: 'createAccessKey', key: key('AKIABOB0000000000001', 'eve') })).toBe('exists');
      await t.commit({ kind: 'createAccessKey', key: key('AKIABOB0000000000002', 'bob') });
      expect(await t.conflictOf({ kind: 'createAccessKey', key: key('AKIABOB0000000000003', 'BOB') })).toBe('inUse');
      expect((await t.store.listUserAccessKeys(ACCOUNT, 'bob')).map((k) => k.accessKeyId)).toEqual(['AKIABOB0000000000001', 'AKIABOB0000000000002']);
    });

    it("setAccessKeyStatus and deleteAccessKey: only the key's own account's; deletion forgets its last use", async () => {
      await t.commit({ kind: 'createUser', user: user('bob') }, { kind: 'createAccessKey', key: key('AKIABOB0000000000001', 'bob') });
      await t.commit({ kind: 'setAccessKeyStatus', accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001', status: 'Inactive' });
      expect((await t.store.findAccessKey('AKIABOB0000000000001'))?.status).toBe('Inactive');
      expect(await t.conflictOf({ kind: 'setAccessKeyStatus', accountId: OTHER, accessKeyId: 'AKIABOB0000000000001', status: 'Active' })).toBe('missing');
      expect(await t.conflictOf({ kind: 'setAccessKeyStatus', accountId: ACCOUNT, accessKeyId: 'AKIANONE000000000000', status: 'Active' })).toBe('missing');
      expect(await t.conflictOf({ kind: 'deleteAccessKey', accountId: OTHER, accessKeyId: 'AKIABOB0000000000001' })).toBe('missing');
      await t.store.noteAccessKeyUsed('AKIABOB0000000000001', { timeMs: 100, serviceName: 'iam', region: 'us-east-1' });
      await t.commit({ kind: 'deleteAccessKey', accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001' });
      expect(await t.store.findAccessKey('AKIABOB0000000000001')).toBeUndefined();
      expect(await t.store.accessKeyLastUsed('AKIABOB0000000000001')).toBeUndefined();
      expect(await t.conflictOf({ kind: 'deleteAccessKey', accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001' })).toBe('missing');
    });
  });
}
