import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../test/conformance/event-store.suite.js';
import type { IdentityChange } from '../store/identity-change.js';
import type { SqliteDatabase } from '../store/sqlite/database.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { SqliteEventStore } from '../store/sqlite/event-store.js';
import { SqliteIdentityStore } from '../store/sqlite/identity-store.js';
import { userIdentityOf } from './user-identity.js';
import type { Role, StoredSession } from './identity-store.js';
import { SecretBox } from './secret-box.js';
import { checkSession, resolveSession, sessionTokenHash, sessionTokenMatches } from './session-credentials.js';

describe('session tokens', () => {
  it('match only their own hash', () => {
    const hash = sessionTokenHash('token-a');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionTokenMatches('token-a', hash)).toBe(true);
    expect(sessionTokenMatches('token-b', hash)).toBe(false);
    expect(sessionTokenMatches('', hash)).toBe(false);
    expect(sessionTokenMatches('token-a', 'not-hex')).toBe(false);
  });

  it('checkSession: invalid without the token, with another, or without its issuer; then expired at its end', () => {
    const resolved = { caller: {} as never, secret: 's', tokenHash: sessionTokenHash('t'), expiresAtMs: 1000, issuerExists: true };
    expect(checkSession(resolved, 't', 999)).toBe('valid');
    expect(checkSession(resolved, 't', 1000)).toBe('expired');
    expect(checkSession(resolved, undefined, 0)).toBe('invalid');
    expect(checkSession(resolved, 'u', 0)).toBe('invalid');
    expect(checkSession(resolved, 'u', 5000)).toBe('invalid');
    expect(checkSession({ ...resolved, issuerExists: false }, 't', 0)).toBe('invalid');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'opentrail-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ACCOUNT = '111122223333';
const box = new SecretBox(randomBytes(32));
let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let store: SqliteIdentityStore;

beforeEach(async () => {
  db = openSqliteDatabase(join(dir, `sessions-${++n}.db`));
  events = new SqliteEventStore(db);
  store = new SqliteIdentityStore(db);
  await store.createAccount({ accountId: ACCOUNT, name: 'test', createdAt: 1 });
});

afterEach(async () => {
  await events.close();
  db.close();
});

let seq = 0;
async function commit(...changes: IdentityChange[]): Promise<void> {
  await events.append([event(++seq, { account: ACCOUNT })], changes);
}

const role: Role = {
  accountId: ACCOUNT,
  roleName: 'Deployer',
  roleId: 'AROAEXAMPLEEXAMPLE01',
  path: '/ci/',
  trustPolicy: '{"Version":"2012-10-17","Statement":[]}',
  maxSessionDuration: 3600,
  tags: [],
  createdAt: 2,
};

function session(accessKeyId: string, issuer: StoredSession['issuer'], sessionName?: string): StoredSession {
  return {
    accessKeyId,
    accountId: ACCOUNT,
    secretSealed: box.seal(`secret-of-${accessKeyId}`),
    tokenHash: sessionTokenHash(`token-of-${accessKeyId}`),
    issuer,
    ...(sessionName !== undefined && { sessionName }),
    mfaAuthenticated: false,
    issuedWithAccessKeyId: 'AKIAEXAMPLE',
    createdAt: Date.UTC(2026, 0, 1, 12, 0, 0),
    expiresAt: Date.UTC(2026, 0, 1, 13, 0, 0),
  };
}

describe('resolveSession', () => {
  it('an AssumeRole session is the assumed role, with CloudTrail’s userIdentity', async () => {
    await commit({ kind: 'createRole', role }, { kind: 'createSession', session: session('ASIAROLESESSION00001', { kind: 'role', roleName: 'Deployer', roleId: role.roleId, rolePath: '/ci/' }, 'build-7') });
    const resolved = await resolveSession(store, box, 'ASIAROLESESSION00001');
    expect(resolved).toMatchObject({ secret: 'secret-of-ASIAROLESESSION00001', issuerExists: true, expiresAtMs: Date.UTC(2026, 0, 1, 13, 0, 0) });
    expect(resolved!.caller).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/build-7`,
      principalId: 'AROAEXAMPLEEXAMPLE01:build-7',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ci/Deployer`,
    });
    expect(userIdentityOf(resolved!.caller)).toEqual({
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEEXAMPLE01:build-7',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/build-7`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAROLESESSION00001',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEEXAMPLE01', arn: `arn:aws:iam::${ACCOUNT}:role/ci/Deployer`, accountId: ACCOUNT, userName: 'Deployer' },
        attributes: { creationDate: '2026-01-01T12:00:00Z', mfaAuthenticated: 'false' },
      },
    });
  });

  it('a role deleted, or deleted and created again (a new role id), leaves its sessions without an issuer', async () => {
    const issuer = { kind: 'role' as const, roleName: 'Deployer', roleId: role.roleId, rolePath: '/ci/' };
    await commit({ kind: 'createRole', role }, { kind: 'createSession', session: session('ASIAROLESESSION00002', issuer, 's') });
    await commit({ kind: 'deleteRole', accountId: ACCOUNT, roleName: 'Deployer' });
    expect((await resolveSession(store, box, 'ASIAROLESESSION00002'))!.issuerExists).toBe(false);
    await commit({ kind: 'createRole', role: { ...role, roleId: 'AROAEXAMPLEEXAMPLE02' } });
    expect((await resolveSession(store, box, 'ASIAROLESESSION00002'))!.issuerExists).toBe(false);
  });

  it('a GetSessionToken session is the IAM user, with the session context CloudTrail writes for it', async () => {
    await commit(
      { kind: 'createUser', user: { accountId: ACCOUNT, userName: 'alice', principalId: 'AIDAEXAMPLEEXAMPLE01', path: '/', tags: [], createdAt: 2 } },
      { kind: 'createSession', session: session('ASIAUSERSESSION00001', { kind: 'user', userName: 'alice' }) },
    );
    const resolved = await resolveSession(store, box, 'ASIAUSERSESSION00001');
    expect(resolved!.issuerExists).toBe(true);
    expect(userIdentityOf(resolved!.caller)).toEqual({
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEEXAMPLE01',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAUSERSESSION00001',
      userName: 'alice',
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2026-01-01T12:00:00Z', mfaAuthenticated: 'false' } },
    });
    await commit({ kind: 'deleteUser', accountId: ACCOUNT, userName: 'alice' });
    expect((await resolveSession(store, box, 'ASIAUSERSESSION00001'))!.issuerExists).toBe(false);
  });

  it('an unknown key resolves to nothing; housekeeping deletes only sessions expired before the cutoff', async () => {
    expect(await resolveSession(store, box, 'ASIANOSUCHSESSION001')).toBeUndefined();
    const issuer = { kind: 'user' as const, userName: 'bob' };
    await commit(
      { kind: 'createSession', session: { ...session('ASIAOLD0000000000001', issuer), expiresAt: 1000 } },
      { kind: 'createSession', session: { ...session('ASIANEW0000000000001', issuer), expiresAt: 5000 } },
    );
    expect(await store.deleteSessionsExpiredBefore(2000)).toBe(1);
    expect(await store.findSession('ASIAOLD0000000000001')).toBeUndefined();
    expect(await store.findSession('ASIANEW0000000000001')).toBeDefined();
  });
});
