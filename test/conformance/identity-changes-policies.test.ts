/**
 * Identity changes of inline and managed policies, their versions and attachments, and their
 * conflicts. The same cases on every backend.
 */
import { describe, expect, it } from 'vitest';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import { ACCOUNT, OTHER, groupChange, managedPolicyChange, policyArn, principal, role, useIdentityStore, user, version } from './identity-fixtures.js';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`identity changes of policies on ${backend.name}`, () => {
    const t = useIdentityStore(backend);

    it('putInlinePolicy: creates, then replaces the one of that name whatever its case; a missing principal is refused', async () => {
      const ops = principal('role', 'ops');
      await t.commit({ kind: 'createRole', role: role('ops') }, { kind: 'putInlinePolicy', policy: { principal: principal('role', 'OPS'), policyName: 'Logs', document: '{"a":1}' } });
      await t.commit({ kind: 'putInlinePolicy', policy: { principal: ops, policyName: 'logs', document: '{"a":2}' } });
      // The stored names keep the case they were created with.
      expect(await t.store.listInlinePolicies(ops)).toEqual([{ principal: { ...ops, name: 'OPS' }, policyName: 'Logs', document: '{"a":2}' }]);
      for (const kind of ['user', 'role', 'group'] as const) {
        expect(await t.conflictOf({ kind: 'putInlinePolicy', policy: { principal: principal(kind, 'ghost'), policyName: 'p', document: '{}' } })).toBe('missing');
      }
    });

    it('deleteInlinePolicy: by name whatever its case; missing when not there', async () => {
      const devs = principal('group', 'devs');
      await t.commit(groupChange('devs'), { kind: 'putInlinePolicy', policy: { principal: devs, policyName: 'p', document: '{}' } });
      await t.commit({ kind: 'deleteInlinePolicy', principal: principal('group', 'DEVS'), policyName: 'P' });
      expect(await t.store.listInlinePolicies(devs)).toEqual([]);
      expect(await t.conflictOf({ kind: 'deleteInlinePolicy', principal: devs, policyName: 'p' })).toBe('missing');
    });

    it('createManagedPolicy: a taken ARN or name (whatever its case) exists; an unknown account is missing', async () => {
      await t.commit(managedPolicyChange('Audit'));
      expect((await t.store.listPolicyVersions(policyArn('Audit'))).map((v) => v.versionId)).toEqual(['v1']);
      expect(await t.conflictOf(managedPolicyChange('Audit', { policyId: 'ANPAOTHER00000000001' }))).toBe('exists');
      expect(await t.conflictOf({ ...managedPolicyChange('audit', { policyId: 'ANPAOTHER00000000001' }) })).toBe('exists');
      expect(await t.conflictOf(managedPolicyChange('Orphan', { accountId: '000000000000' }))).toBe('missing');
    });

    it('createPolicyVersion: ids are never given twice, five versions at most, the policy must exist', async () => {
      await t.commit(managedPolicyChange('p'));
      await t.commit({ kind: 'createPolicyVersion', version: version('p', 2), setAsDefault: false });
      expect((await t.store.getManagedPolicy(policyArn('p')))?.defaultVersionId).toBe('v1');
      await t.commit({ kind: 'deletePolicyVersion', policyArn: policyArn('p'), versionId: 'v2' });
      // v2 was given once: it is not given again, even though it is gone.
      expect(await t.conflictOf({ kind: 'createPolicyVersion', version: version('p', 2), setAsDefault: false })).toBe('exists');
      expect(await t.conflictOf({ kind: 'createPolicyVersion', version: version('p', 1), setAsDefault: false })).toBe('exists');
      for (const n of [3, 4, 5, 6]) await t.commit({ kind: 'createPolicyVersion', version: version('p', n), setAsDefault: n === 6 });
      expect(await t.store.getManagedPolicy(policyArn('p'))).toMatchObject({ defaultVersionId: 'v6', updatedAt: version('p', 6).createdAt, lastVersionNumber: 6 });
      expect(await t.conflictOf({ kind: 'createPolicyVersion', version: version('p', 7), setAsDefault: false })).toBe('inUse');
      expect(await t.conflictOf({ kind: 'createPolicyVersion', version: version('gone', 2), setAsDefault: false })).toBe('missing');
      expect((await t.store.listPolicyVersions(policyArn('p'))).map((v) => v.versionId)).toEqual(['v6', 'v5', 'v4', 'v3', 'v1']);
    });

    it('deletePolicyVersion and setDefaultPolicyVersion: the default cannot be deleted; a default must be a version', async () => {
      const arn = policyArn('p');
      await t.commit(managedPolicyChange('p'), { kind: 'createPolicyVersion', version: version('p', 2), setAsDefault: true });
      expect((await t.store.getManagedPolicy(arn))?.defaultVersionId).toBe('v2');
      expect(await t.conflictOf({ kind: 'deletePolicyVersion', policyArn: arn, versionId: 'v2' })).toBe('missing');
      expect(await t.conflictOf({ kind: 'setDefaultPolicyVersion', policyArn: arn, versionId: 'v9', timeMs: 7 })).toBe('missing');
      expect(await t.conflictOf({ kind: 'setDefaultPolicyVersion', policyArn: policyArn('gone'), versionId: 'v1', timeMs: 7 })).toBe('missing');
      await t.commit({ kind: 'setDefaultPolicyVersion', policyArn: arn, versionId: 'v1', timeMs: 30 });
      expect(await t.store.getManagedPolicy(arn)).toMatchObject({ defaultVersionId: 'v1', updatedAt: 30 });
      await t.commit({ kind: 'deletePolicyVersion', policyArn: arn, versionId: 'v2' });
      expect((await t.store.listPolicyVersions(arn)).map((v) => v.versionId)).toEqual(['v1']);
      expect(await t.conflictOf({ kind: 'deletePolicyVersion', policyArn: arn, versionId: 'v2' })).toBe('missing');
    });

    it('deleteManagedPolicy: refused while attached; takes its versions; missing once gone', async () => {
      const arn = policyArn('p');
      await t.commit(managedPolicyChange('p'), { kind: 'createPolicyVersion', version: version('p', 2), setAsDefault: false }, { kind: 'createRole', role: role('ops') });
      await t.commit({ kind: 'attachPolicy', principal: principal('role', 'ops'), policyArn: arn });
      expect(await t.conflictOf({ kind: 'deleteManagedPolicy', policyArn: arn })).toBe('inUse');
      await t.commit({ kind: 'detachPolicy', principal: principal('role', 'ops'), policyArn: arn }, { kind: 'deleteManagedPolicy', policyArn: arn });
      expect(await t.store.getManagedPolicy(arn)).toBeUndefined();
      expect(await t.store.listPolicyVersions(arn)).toEqual([]);
      expect(await t.conflictOf({ kind: 'deleteManagedPolicy', policyArn: arn })).toBe('missing');
      // A new policy of the same name starts its numbering afresh.
      await t.commit(managedPolicyChange('p'));
      expect(await t.store.getManagedPolicy(arn)).toMatchObject({ lastVersionNumber: 1 });
    });

    it('attachPolicy: to an existing principal, an AWS managed or existing customer policy, once, ten at most', async () => {
      await t.commit({ kind: 'createUser', user: user('bob') }, managedPolicyChange('mine'));
      const bob = principal('user', 'BOB');
      await t.commit({ kind: 'attachPolicy', principal: bob, policyArn: READ_ONLY }, { kind: 'attachPolicy', principal: bob, policyArn: policyArn('mine') });
      expect(await t.store.listAttachedPolicyArns(principal('user', 'bob'))).toEqual([READ_ONLY, policyArn('mine')].sort());
      expect(await t.conflictOf({ kind: 'attachPolicy', principal: bob, policyArn: READ_ONLY })).toBe('exists');
      expect(await t.conflictOf({ kind: 'attachPolicy', principal: bob, policyArn: policyArn('none') })).toBe('missing');
      expect(await t.conflictOf({ kind: 'attachPolicy', principal: principal('group', 'ghost'), policyArn: READ_ONLY })).toBe('missing');
      const more: IdentityChange[] = Array.from({ length: 8 }, (_, i) => ({ kind: 'attachPolicy', principal: bob, policyArn: `arn:aws:iam::aws:policy/P${i}` }));
      await t.commit(...more);
      expect(await t.conflictOf({ kind: 'attachPolicy', principal: bob, policyArn: 'arn:aws:iam::aws:policy/P8' })).toBe('inUse');
      expect(await t.store.listAttachedPolicyArns(bob)).toHaveLength(10);
    });

    it("detachPolicy: only what is attached, to that principal of that account", async () => {
      await t.commit({ kind: 'createUser', user: user('bob') }, { kind: 'attachPolicy', principal: principal('user', 'bob'), policyArn: READ_ONLY });
      expect(await t.conflictOf({ kind: 'detachPolicy', principal: { accountId: OTHER, kind: 'user', name: 'bob' }, policyArn: READ_ONLY })).toBe('missing');
      expect(await t.conflictOf({ kind: 'detachPolicy', principal: principal('role', 'bob'), policyArn: READ_ONLY })).toBe('missing');
      await t.commit({ kind: 'detachPolicy', principal: principal('user', 'Bob'), policyArn: READ_ONLY });
      expect(await t.store.listPolicyAttachments(READ_ONLY, ACCOUNT)).toEqual([]);
      expect(await t.conflictOf({ kind: 'detachPolicy', principal: principal('user', 'bob'), policyArn: READ_ONLY })).toBe('missing');
    });
  });
}
