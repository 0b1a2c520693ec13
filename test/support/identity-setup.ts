/**
 * Identity state set up for a test outside any API call (a role, before the IAM API can create
 * one), applied to a data directory's database exactly as the event log's writer applies a
 * call's changes. Safe beside a running server: SQLite serialises the writes (WAL, busy timeout).
 */
import { join } from 'node:path';
import type { Role } from '../../src/iam/identity-store.js';
import { newIamId } from '../../src/core/ids.js';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { IdentityChangeWriter } from '../../src/store/sqlite/identity-changes.js';

export function applyIdentityChanges(dataDir: string, ...changes: IdentityChange[]): void {
  const db = openSqliteDatabase(join(dataDir, 'opentrail.db'));
  try {
    const writer = new IdentityChangeWriter(db);
    db.transaction(() => {
      for (const change of changes) writer.apply(change);
    })();
  } finally {
    db.close();
  }
}

export interface RoleSpec {
  accountId: string;
  roleName: string;
  trustPolicy: object;
  path?: string;
  maxSessionDuration?: number;
}

export function roleOf(spec: RoleSpec): Role {
  return {
    accountId: spec.accountId,
    roleName: spec.roleName,
    roleId: newIamId('AROA'),
    path: spec.path ?? '/',
    trustPolicy: JSON.stringify(spec.trustPolicy),
    maxSessionDuration: spec.maxSessionDuration ?? 3600,
    tags: [],
    createdAt: Date.now(),
  };
}

/** Creates a role and attaches an inline policy to it; returns the role. */
export function createRoleDirectly(dataDir: string, spec: RoleSpec, inlinePolicy?: object): Role {
  const role = roleOf(spec);
  const changes: IdentityChange[] = [{ kind: 'createRole', role }];
  if (inlinePolicy !== undefined) {
    changes.push({
      kind: 'putInlinePolicy',
      policy: { principal: { accountId: spec.accountId, kind: 'role', name: spec.roleName }, policyName: 'inline', document: JSON.stringify(inlinePolicy) },
    });
  }
  applyIdentityChanges(dataDir, ...changes);
  return role;
}
