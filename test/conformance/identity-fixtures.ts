/**
 * What the identity conformance suites (identity-*.test.ts) share: a fresh store per case on
 * each backend, changes committed with a call record as the API does, and small builders.
 */
import { afterEach, beforeEach } from 'vitest';
import type { IdentityStore, ManagedPolicy, PolicyVersion, PrincipalRef, Role, StoredAccessKey, StoredSession, User } from '../../src/iam/identity-store.js';
import type { Stores } from '../../src/server/open-stores.js';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { StateConflictError } from '../../src/store/state-change.js';
import type { StoreBackend } from '../support/store-backends.js';
import { event } from './event-store.suite.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';

export interface IdentityFixture {
  readonly stores: Stores;
  readonly store: IdentityStore;
  /** Applies the changes with one call record, as a handler's commit does. */
  commit(...changes: IdentityChange[]): Promise<void>;
  /** The conflict the changes are refused with, or undefined when they applied. */
  conflictOf(...changes: IdentityChange[]): Promise<string | undefined>;
}

/** A new empty store before each case (with ACCOUNT created directly), closed after it. */
export function useIdentityStore(backend: StoreBackend): IdentityFixture {
  let stores: Stores | undefined;
  let seq = 0;
  const fixture: IdentityFixture = {
    get stores() {
      if (stores === undefined) throw new Error('no store outside a case');
      return stores;
    },
    get store() {
      return fixture.stores.identity.store;
    },
    async commit(...changes) {
      await fixture.stores.events.append([event(++seq, { account: ACCOUNT })], changes);
    },
    async conflictOf(...changes) {
      try {
        await fixture.commit(...changes);
        return undefined;
      } catch (error) {
        if (error instanceof StateConflictError) return error.reason;
        throw error;
      }
    },
  };
  beforeEach(async () => {
    stores = await backend.open();
    await stores.identity.store.createAccount({ accountId: ACCOUNT, name: 'test', createdAt: 1 });
  });
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });
  return fixture;
}

export function user(userName: string, accountId = ACCOUNT): User {
  return { accountId, userName, principalId: `AIDA${userName.toUpperCase().replace(/[^A-Z]/g, 'X').padEnd(16, 'X')}`, path: '/', tags: [], createdAt: 2 };
}

export function key(accessKeyId: string, userName: string, createdAt = 3): StoredAccessKey {
  return { accessKeyId, accountId: ACCOUNT, userName, secretSealed: 'sealed', status: 'Active', createdAt };
}

export function role(roleName: string, overrides: Partial<Role> = {}): Role {
  return {
    accountId: ACCOUNT,
    roleName,
    roleId: `AROA${roleName.toUpperCase().padEnd(16, 'X')}`,
    path: '/',
    trustPolicy: '{"Version":"2012-10-17","Statement":[]}',
    maxSessionDuration: 3600,
    tags: [],
    createdAt: 4,
    ...overrides,
  };
}

export function groupChange(groupName: string): IdentityChange {
  return { kind: 'createGroup', group: { accountId: ACCOUNT, groupName, groupId: `AGPA${groupName.toUpperCase().padEnd(16, 'X')}`, path: '/', createdAt: 4 } };
}

export function principal(kind: PrincipalRef['kind'], name: string): PrincipalRef {
  return { accountId: ACCOUNT, kind, name };
}

export function policyArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT}:policy/${name}`;
}

export function version(name: string, n: number, createdAt = 5 + n): PolicyVersion {
  return { policyArn: policyArn(name), versionId: `v${n}`, document: `{"v":${n}}`, createdAt };
}

/** CreatePolicy's change: the policy and its v1. */
export function managedPolicyChange(name: string, overrides: Partial<ManagedPolicy> = {}): IdentityChange {
  return {
    kind: 'createManagedPolicy',
    policy: { policyArn: policyArn(name), accountId: ACCOUNT, policyName: name, policyId: `ANPA${name.toUpperCase().padEnd(16, 'X')}`, path: '/', defaultVersionId: 'v1', createdAt: 5, updatedAt: 5, ...overrides },
    firstVersion: version(name, 1, 5),
  };
}

export function session(accessKeyId: string, expiresAt: number, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    accessKeyId,
    accountId: ACCOUNT,
    secretSealed: 'sealed',
    tokenHash: 'ab'.repeat(32),
    issuer: { kind: 'role', roleName: 'r', roleId: 'AROARXXXXXXXXXXXXXXX', rolePath: '/' },
    mfaAuthenticated: false,
    issuedWithAccessKeyId: 'AKIAISSUER0000000001',
    createdAt: 10,
    expiresAt,
    ...overrides,
  };
}
