/** Identity changes commit with their call's record, and refuse what became untrue meanwhile. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { event } from '../../../test/conformance/event-store.suite.js';
import type { StoredAccessKey, User } from '../../iam/identity-store.js';
import type { IdentityChange } from '../identity-change.js';
import { StateConflictError } from '../state-change.js';
import type { SqliteDatabase } from './database.js';
import { openSqliteDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';
import { SqliteIdentityStore } from './identity-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-identity-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';
let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let identity: SqliteIdentityStore;

beforeEach(async () => {
  db = openSqliteDatabase(join(dir, `identity-${++n}.db`));
  events = new SqliteEventStore(db);
  identity = new SqliteIdentityStore(db);
  await identity.createAccount({ accountId: ACCOUNT, name: 'test', createdAt: 1 });
});

afterEach(async () => {
  await events.close();
  db.close();
});

let seq = 0;
async function commit(...changes: IdentityChange[]): Promise<void> {
  await events.append([event(++seq, { account: ACCOUNT })], changes);
}

function user(userName: string): User {
  return { accountId: ACCOUNT, userName, principalId: `AIDA${userName.toUpperCase().padEnd(16, 'X')}`, path: '/', tags: [], createdAt: 2 };
}

function key(accessKeyId: string, userName: string): StoredAccessKey {
  return { accessKeyId, accountId: ACCOUNT, userName, secretSealed: 'sealed', status: 'Active', createdAt: 3 };
}

async function conflictOf(...changes: IdentityChange[]): Promise<string | undefined> {
  try {
    await commit(...changes);
    return undefined;
  } catch (error) {
    if (error instanceof StateConflictError) return error.reason;
    throw error;
  }
}

it('names are unique whatever their case, and found whatever the case asked', async () => {
  await commit({ kind: 'createUser', user: user('Alice') });
  expect(await conflictOf({ kind: 'createUser', user: user('alice') })).toBe('exists');
  expect((await identity.getUser(ACCOUNT, 'ALICE'))?.userName).toBe('Alice');
});

it('a user with an access key cannot be deleted (DeleteConflict), and can once the key is gone', async () => {
  await commit({ kind: 'createUser', user: user('bob') }, { kind: 'createAccessKey', key: key('AKIABOB0000000000001', 'bob') });
  expect(await conflictOf({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'bob' })).toBe('inUse');
  await commit({ kind: 'deleteAccessKey', accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001' }, { kind: 'deleteUser', accountId: ACCOUNT, userName: 'bob' });
  expect(await identity.getUser(ACCOUNT, 'bob')).toBeUndefined();
});

it('a renamed user keeps its keys, policies and groups, also for a change of case only', async () => {
  const principal = { accountId: ACCOUNT, kind: 'user' as const, name: 'carol' };
  await commit(
    { kind: 'createUser', user: user('carol') },
    { kind: 'createAccessKey', key: key('AKIACAROL00000000001', 'carol') },
    { kind: 'createGroup', group: { accountId: ACCOUNT, groupName: 'devs', groupId: 'AGPADEVS000000000001', path: '/', createdAt: 4 } },
    { kind: 'addUserToGroup', accountId: ACCOUNT, groupName: 'DEVS', userName: 'Carol' },
    { kind: 'putInlinePolicy', policy: { principal, policyName: 'p', document: '{}' } },
    { kind: 'attachPolicy', principal, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
  );
  for (const newName of ['caroline', 'Caroline']) {
    await commit({ kind: 'updateUser', accountId: ACCOUNT, userName: principal.name, newUserName: newName, newPath: '/team/' });
    principal.name = newName;
    expect((await identity.getUser(ACCOUNT, newName))?.userName).toBe(newName);
    expect((await identity.listUserAccessKeys(ACCOUNT, newName)).map((k) => k.userName)).toEqual([newName]);
    expect((await identity.listGroupMembers(ACCOUNT, 'devs')).map((u) => u.userName)).toEqual([newName]);
    expect((await identity.listInlinePolicies(principal)).map((p) => p.policyName)).toEqual(['p']);
    expect(await identity.listAttachedPolicyArns(principal)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  }
  expect(await identity.getUser(ACCOUNT, 'carol')).toBeUndefined();
});

it('a key for a user deleted meanwhile is refused as missing; the call leaves nothing behind', async () => {
  expect(await conflictOf({ kind: 'createAccessKey', key: key('AKIAGHOST00000000001', 'ghost') })).toBe('missing');
  expect(await identity.findAccessKey('AKIAGHOST00000000001')).toBeUndefined();
});

it('managed policy versions: the default version cannot be deleted; setting a default needs the version', async () => {
  const policyArn = `arn:aws:iam::${ACCOUNT}:policy/p`;
  await commit({
    kind: 'createManagedPolicy',
    policy: { policyArn, accountId: ACCOUNT, policyName: 'p', policyId: 'ANPAP000000000000001', path: '/', defaultVersionId: 'v1', createdAt: 5, updatedAt: 5 },
    firstVersion: { policyArn, versionId: 'v1', document: '{"v":1}', createdAt: 5 },
  });
  await commit({ kind: 'createPolicyVersion', version: { policyArn, versionId: 'v2', document: '{"v":2}', createdAt: 6 }, setAsDefault: true });
  expect((await identity.getManagedPolicy(policyArn))?.defaultVersionId).toBe('v2');
  expect(await conflictOf({ kind: 'deletePolicyVersion', policyArn, versionId: 'v2' })).toBe('missing');
  expect(await conflictOf({ kind: 'setDefaultPolicyVersion', policyArn, versionId: 'v9', timeMs: 7 })).toBe('missing');
  await commit({ kind: 'deletePolicyVersion', policyArn, versionId: 'v1' });
  expect((await identity.listPolicyVersions(policyArn)).map((v) => v.versionId)).toEqual(['v2']);
  await commit({ kind: 'deleteManagedPolicy', policyArn });
  expect(await identity.listPolicyVersions(policyArn)).toEqual([]);
});

it('an organization holds its management account and the accounts created in it', async () => {
  const orgId = 'o-abcdefghij';
  await commit({
    kind: 'createOrganization',
    organization: { orgId, managementAccountId: ACCOUNT, featureSet: 'ALL', createdAt: 8 },
    managementAccount: { orgId, accountId: ACCOUNT, name: 'test', email: 'm@example.com', joinedMethod: 'INVITED', joinedAt: 8 },
  });
  await commit(
    { kind: 'createAccount', account: { accountId: '444455556666', name: 'member', createdAt: 9 } },
    { kind: 'addOrganizationAccount', member: { orgId, accountId: '444455556666', name: 'member', email: 'x@example.com', joinedMethod: 'CREATED', joinedAt: 9 } },
  );
  expect((await identity.organizationOfAccount('444455556666'))?.managementAccountId).toBe(ACCOUNT);
  expect((await identity.listOrganizationAccounts(orgId)).map((a) => a.accountId)).toEqual([ACCOUNT, '444455556666']);
  expect(await conflictOf({ kind: 'addOrganizationAccount', member: { orgId, accountId: '999999999999', name: 'no', email: 'n@example.com', joinedMethod: 'CREATED', joinedAt: 10 } })).toBe('missing');
});
