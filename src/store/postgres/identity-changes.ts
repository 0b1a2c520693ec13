/**
 * The identity changes of ../identity-change.ts on PostgreSQL. Mirrors sqlite/identity-changes.ts:
 * handlers check IAM's rules when they stage a change; the SQL here only refuses what became
 * untrue meanwhile. Every append holds the log head's lock (event-store.ts), so changes from all
 * nodes apply one at a time and the counts below cannot race another node's change.
 */
import type { PoolClient } from 'pg';
import type { PrincipalKind, PrincipalRef } from '../../iam/identity-store.js';
import type { IdentityChange } from '../identity-change.js';
import { accessKeyParams, userParams } from '../sqlite/identity-rows.js';
import { IAM_QUOTAS } from '../sqlite/identity-changes.js';
import { ChangeConflict, changed, deleted, inserted } from './change-sql.js';

const BY_PRINCIPAL = 'account_id = $1 AND principal_kind = $2 AND lower(principal_name) = lower($3)';

const PRINCIPAL_TABLES: Record<PrincipalKind, { table: string; name: string }> = {
  user: { table: 'users', name: 'user_name' },
  role: { table: 'roles', name: 'role_name' },
  group: { table: 'iam_groups', name: 'group_name' },
};

export async function applyIdentityChange(client: PoolClient, change: IdentityChange): Promise<void> {
  switch (change.kind) {
    case 'createAccount': {
      const a = change.account;
      return inserted(client, 'INSERT INTO accounts (account_id, name, created_at) VALUES ($1, $2, $3)', [a.accountId, a.name, a.createdAt]);
    }
    case 'createUser':
      return inserted(client, 'INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6)', userParams(change.user));
    case 'updateUser':
      return updateUser(client, change);
    case 'deleteUser':
      await requireNothingAttached(client, { accountId: change.accountId, kind: 'user', name: change.userName });
      if ((await count(client, 'SELECT COUNT(*) AS n FROM group_members WHERE account_id = $1 AND lower(user_name) = lower($2)', [change.accountId, change.userName])) > 0) {
        throw new ChangeConflict('inUse');
      }
      return deleted(client, 'DELETE FROM users WHERE account_id = $1 AND lower(user_name) = lower($2)', [change.accountId, change.userName]);
    case 'createAccessKey': {
      const k = change.key;
      if ((await count(client, 'SELECT COUNT(*) AS n FROM access_keys WHERE account_id = $1 AND lower(user_name) = lower($2)', [k.accountId, k.userName])) >= IAM_QUOTAS.accessKeysPerUser) {
        throw new ChangeConflict('inUse');
      }
      return inserted(
        client,
        'INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        accessKeyParams(k),
      );
    }
    case 'setAccessKeyStatus':
      return changed(client, 'UPDATE access_keys SET status = $1 WHERE access_key_id = $2 AND account_id = $3', [change.status, change.accessKeyId, change.accountId]);
    case 'deleteAccessKey':
      await changed(client, 'DELETE FROM access_keys WHERE access_key_id = $1 AND account_id = $2', [change.accessKeyId, change.accountId]);
      await client.query('DELETE FROM access_key_last_used WHERE access_key_id = $1', [change.accessKeyId]);
      return;
    case 'putInlinePolicy': {
      const { principal, policyName, document } = change.policy;
      await requirePrincipal(client, principal);
      const updated = await client.query(`UPDATE inline_policies SET document = $5 WHERE ${BY_PRINCIPAL} AND lower(policy_name) = lower($4)`, [
        principal.accountId,
        principal.kind,
        principal.name,
        policyName,
        document,
      ]);
      if ((updated.rowCount ?? 0) > 0) return;
      return inserted(client, 'INSERT INTO inline_policies (account_id, principal_kind, principal_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)', [
        principal.accountId,
        principal.kind,
        principal.name,
        policyName,
        document,
      ]);
    }
    case 'deleteInlinePolicy': {
      const p = change.principal;
      return changed(client, `DELETE FROM inline_policies WHERE ${BY_PRINCIPAL} AND lower(policy_name) = lower($4)`, [p.accountId, p.kind, p.name, change.policyName]);
    }
    case 'createManagedPolicy': {
      const p = change.policy;
      await inserted(
        client,
        `INSERT INTO managed_policies (policy_arn, account_id, policy_name, policy_id, path, description, default_version_id, created_at, updated_at, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [p.policyArn, p.accountId, p.policyName, p.policyId, p.path, p.description ?? null, p.defaultVersionId, p.createdAt, p.updatedAt, JSON.stringify(p.tags ?? [])],
      );
      await takeVersionNumber(client, p.policyArn, change.firstVersion.versionId);
      return insertVersion(client, change.firstVersion);
    }
    case 'deleteManagedPolicy':
      // Versions go with it (ON DELETE CASCADE); one attached meanwhile keeps it.
      if ((await count(client, 'SELECT COUNT(*) AS n FROM policy_attachments WHERE policy_arn = $1', [change.policyArn])) > 0) throw new ChangeConflict('inUse');
      return changed(client, 'DELETE FROM managed_policies WHERE policy_arn = $1', [change.policyArn]);
    case 'createPolicyVersion': {
      const v = change.version;
      if ((await count(client, 'SELECT COUNT(*) AS n FROM managed_policy_versions WHERE policy_arn = $1', [v.policyArn])) >= IAM_QUOTAS.versionsPerPolicy) {
        throw new ChangeConflict('inUse');
      }
      await takeVersionNumber(client, v.policyArn, v.versionId);
      await insertVersion(client, v);
      if (change.setAsDefault) {
        await changed(client, 'UPDATE managed_policies SET default_version_id = $1, updated_at = $2 WHERE policy_arn = $3', [v.versionId, v.createdAt, v.policyArn]);
      }
      return;
    }
    case 'deletePolicyVersion':
      return changed(
        client,
        `DELETE FROM managed_policy_versions WHERE policy_arn = $1 AND version_id = $2
           AND version_id <> (SELECT default_version_id FROM managed_policies WHERE policy_arn = $1)`,
        [change.policyArn, change.versionId],
      );
    case 'setDefaultPolicyVersion':
      return changed(
        client,
        `UPDATE managed_policies SET default_version_id = $1, updated_at = $2 WHERE policy_arn = $3
           AND EXISTS (SELECT 1 FROM managed_policy_versions WHERE policy_arn = $3 AND version_id = $1)`,
        [change.versionId, change.timeMs, change.policyArn],
      );
    case 'attachPolicy': {
      const p = change.principal;
      await requirePrincipal(client, p);
      if (!change.policyArn.startsWith('arn:aws:iam::aws:') && (await count(client, 'SELECT COUNT(*) AS n FROM managed_policies WHERE policy_arn = $1', [change.policyArn])) === 0) {
        throw new ChangeConflict('missing');
      }
      if ((await count(client, `SELECT COUNT(*) AS n FROM policy_attachments WHERE ${BY_PRINCIPAL}`, [p.accountId, p.kind, p.name])) >= IAM_QUOTAS.managedPoliciesPerPrincipal) {
        throw new ChangeConflict('inUse');
      }
      return inserted(client, 'INSERT INTO policy_attachments (account_id, principal_kind, principal_name, policy_arn) VALUES ($1, $2, $3, $4)', [
        p.accountId,
        p.kind,
        p.name,
        change.policyArn,
      ]);
    }
    case 'detachPolicy': {
      const p = change.principal;
      return changed(client, `DELETE FROM policy_attachments WHERE ${BY_PRINCIPAL} AND policy_arn = $4`, [p.accountId, p.kind, p.name, change.policyArn]);
    }
    case 'createRole': {
      const r = change.role;
      return inserted(
        client,
        `INSERT INTO roles (account_id, role_name, role_id, path, trust_policy, description, max_session_duration, tags, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [r.accountId, r.roleName, r.roleId, r.path, r.trustPolicy, r.description ?? null, r.maxSessionDuration, JSON.stringify(r.tags), r.createdAt],
      );
    }
    case 'updateRole':
      return changed(
        client,
        `UPDATE roles SET description = COALESCE($1, description), max_session_duration = COALESCE($2, max_session_duration)
          WHERE account_id = $3 AND lower(role_name) = lower($4)`,
        [change.description ?? null, change.maxSessionDuration ?? null, change.accountId, change.roleName],
      );
    case 'updateAssumeRolePolicy':
      return changed(client, 'UPDATE roles SET trust_policy = $1 WHERE account_id = $2 AND lower(role_name) = lower($3)', [change.document, change.accountId, change.roleName]);
    case 'deleteRole':
      await requireNothingAttached(client, { accountId: change.accountId, kind: 'role', name: change.roleName });
      return deleted(client, 'DELETE FROM roles WHERE account_id = $1 AND lower(role_name) = lower($2)', [change.accountId, change.roleName]);
    case 'createGroup': {
      const g = change.group;
      return inserted(client, 'INSERT INTO iam_groups (account_id, group_name, group_id, path, created_at) VALUES ($1, $2, $3, $4, $5)', [
        g.accountId,
        g.groupName,
        g.groupId,
        g.path,
        g.createdAt,
      ]);
    }
    case 'deleteGroup':
      await requireNothingAttached(client, { accountId: change.accountId, kind: 'group', name: change.groupName });
      if ((await count(client, 'SELECT COUNT(*) AS n FROM group_members WHERE account_id = $1 AND lower(group_name) = lower($2)', [change.accountId, change.groupName])) > 0) {
        throw new ChangeConflict('inUse');
      }
      return deleted(client, 'DELETE FROM iam_groups WHERE account_id = $1 AND lower(group_name) = lower($2)', [change.accountId, change.groupName]);
    case 'addUserToGroup':
      if ((await count(client, 'SELECT COUNT(*) AS n FROM group_members WHERE account_id = $1 AND lower(user_name) = lower($2)', [change.accountId, change.userName])) >= IAM_QUOTAS.groupsPerUser) {
        throw new ChangeConflict('inUse');
      }
      // Names as stored (exact case), so joins need no case folding; both must still exist. A
      // membership already there inserts nothing and is refused as SQLite's INSERT OR IGNORE is.
      return changed(
        client,
        `INSERT INTO group_members (account_id, group_name, user_name)
         SELECT g.account_id, g.group_name, u.user_name FROM iam_groups g JOIN users u ON u.account_id = g.account_id
          WHERE g.account_id = $1 AND lower(g.group_name) = lower($2) AND lower(u.user_name) = lower($3)
         ON CONFLICT DO NOTHING`,
        [change.accountId, change.groupName, change.userName],
      );
    case 'removeUserFromGroup':
      return changed(client, 'DELETE FROM group_members WHERE account_id = $1 AND lower(group_name) = lower($2) AND lower(user_name) = lower($3)', [
        change.accountId,
        change.groupName,
        change.userName,
      ]);
    case 'createSession': {
      const s = change.session;
      return inserted(
        client,
        `INSERT INTO sessions (access_key_id, account_id, secret_sealed, token_hash, issuer, session_name, mfa_authenticated, source_identity, issued_with_access_key_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          s.accessKeyId,
          s.accountId,
          s.secretSealed,
          s.tokenHash,
          JSON.stringify(s.issuer),
          s.sessionName ?? null,
          s.mfaAuthenticated ? 1 : 0,
          s.sourceIdentity ?? null,
          s.issuedWithAccessKeyId,
          s.createdAt,
          s.expiresAt,
        ],
      );
    }
    case 'createOrganization': {
      const o = change.organization;
      await inserted(client, 'INSERT INTO organizations (org_id, management_account_id, feature_set, created_at) VALUES ($1, $2, $3, $4)', [
        o.orgId,
        o.managementAccountId,
        o.featureSet,
        o.createdAt,
      ]);
      return insertMember(client, change.managementAccount);
    }
    case 'addOrganizationAccount':
      return insertMember(client, change.member);
    case 'putCreateAccountRequest': {
      const r = change.request;
      await client.query(
        `INSERT INTO create_account_requests (request_id, org_id, account_name, email, state, account_id, failure_reason, requested_at, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (request_id) DO UPDATE SET state = EXCLUDED.state, account_id = EXCLUDED.account_id,
           failure_reason = EXCLUDED.failure_reason, completed_at = EXCLUDED.completed_at`,
        [r.requestId, r.orgId, r.accountName, r.email, r.state, r.accountId ?? null, r.failureReason ?? null, r.requestedAt, r.completedAt ?? null],
      );
      return;
    }
    case 'registerDelegatedAdmin': {
      const a = change.admin;
      return inserted(client, 'INSERT INTO delegated_admins (org_id, account_id, service_principal, registered_at) VALUES ($1, $2, $3, $4)', [
        a.orgId,
        a.accountId,
        a.servicePrincipal,
        a.registeredAt,
      ]);
    }
    case 'deregisterDelegatedAdmin':
      return changed(client, 'DELETE FROM delegated_admins WHERE org_id = $1 AND account_id = $2 AND service_principal = $3', [
        change.orgId,
        change.accountId,
        change.servicePrincipal,
      ]);
  }
}

async function count(client: PoolClient, text: string, values: unknown[]): Promise<number> {
  const result = await client.query<{ n: string }>(text, values);
  return Number(result.rows[0]?.n ?? 0);
}

/** A policy for a user, role or group deleted meanwhile would be left behind: refused as missing. */
async function requirePrincipal(client: PoolClient, p: PrincipalRef): Promise<void> {
  const { table, name } = PRINCIPAL_TABLES[p.kind];
  if ((await count(client, `SELECT COUNT(*) AS n FROM ${table} WHERE account_id = $1 AND lower(${name}) = lower($2)`, [p.accountId, p.name])) === 0) {
    throw new ChangeConflict('missing');
  }
}

/** IAM's DeleteConflict, re-checked at commit: policies put or attached meanwhile keep the principal. */
async function requireNothingAttached(client: PoolClient, p: PrincipalRef): Promise<void> {
  for (const table of ['inline_policies', 'policy_attachments']) {
    if ((await count(client, `SELECT COUNT(*) AS n FROM ${table} WHERE ${BY_PRINCIPAL}`, [p.accountId, p.kind, p.name])) > 0) throw new ChangeConflict('inUse');
  }
}

/** A version id is given once per policy, ever: a number at or below the highest given is taken. */
async function takeVersionNumber(client: PoolClient, policyArn: string, versionId: string): Promise<void> {
  const number = Number(versionId.slice(1));
  const result = await client.query<{ n: string }>('SELECT last_version_number AS n FROM managed_policies WHERE policy_arn = $1', [policyArn]);
  const row = result.rows[0];
  if (row === undefined) throw new ChangeConflict('missing');
  if (!Number.isSafeInteger(number) || number <= Number(row.n)) throw new ChangeConflict('exists');
  await client.query('UPDATE managed_policies SET last_version_number = $1 WHERE policy_arn = $2', [number, policyArn]);
}

async function insertVersion(client: PoolClient, v: { policyArn: string; versionId: string; document: string; createdAt: number }): Promise<void> {
  await inserted(client, 'INSERT INTO managed_policy_versions (policy_arn, version_id, document, created_at) VALUES ($1, $2, $3, $4)', [
    v.policyArn,
    v.versionId,
    v.document,
    v.createdAt,
  ]);
}

async function insertMember(client: PoolClient, m: { orgId: string; accountId: string; name: string; email: string; joinedMethod: string; joinedAt: number }): Promise<void> {
  await inserted(client, 'INSERT INTO organization_accounts (account_id, org_id, name, email, joined_method, joined_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    m.accountId,
    m.orgId,
    m.name,
    m.email,
    m.joinedMethod,
    m.joinedAt,
  ]);
}

/**
 * A rename moves everything that names the user. Access keys refer to the user's row (foreign
 * key), so the renamed row is inserted first, the references moved, then the old row deleted.
 */
async function updateUser(client: PoolClient, change: Extract<IdentityChange, { kind: 'updateUser' }>): Promise<void> {
  const found = await client.query<{ user_name: string }>('SELECT user_name FROM users WHERE account_id = $1 AND lower(user_name) = lower($2)', [
    change.accountId,
    change.userName,
  ]);
  const user = found.rows[0];
  if (user === undefined) throw new ChangeConflict('missing');
  const from = user.user_name;
  if (change.newPath !== undefined) await client.query('UPDATE users SET path = $1 WHERE account_id = $2 AND user_name = $3', [change.newPath, change.accountId, from]);
  const to = change.newUserName;
  if (to === undefined || to === from) return;
  const caseOnly = to.toLowerCase() === from.toLowerCase();
  if (caseOnly) {
    // The same name to the lower(user_name) index, so the row is renamed in place. Its keys move
    // in the same statement: a foreign key is checked at the end of the statement, by which
    // time both sides carry the new name (no deferred constraint needed, unlike SQLite).
    await client.query(
      `WITH moved_keys AS (UPDATE access_keys SET user_name = $1 WHERE account_id = $2 AND user_name = $3)
       UPDATE users SET user_name = $1 WHERE account_id = $2 AND user_name = $3`,
      [to, change.accountId, from],
    );
  } else {
    await inserted(
      client,
      `INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at)
       SELECT account_id, $1, principal_id, path, tags, created_at FROM users WHERE account_id = $2 AND user_name = $3`,
      [to, change.accountId, from],
    );
    await client.query('UPDATE access_keys SET user_name = $1 WHERE account_id = $2 AND user_name = $3', [to, change.accountId, from]);
  }
  await client.query('UPDATE group_members SET user_name = $1 WHERE account_id = $2 AND user_name = $3', [to, change.accountId, from]);
  for (const table of ['inline_policies', 'policy_attachments']) {
    await client.query(`UPDATE ${table} SET principal_name = $1 WHERE account_id = $2 AND principal_kind = 'user' AND principal_name = $3`, [to, change.accountId, from]);
  }
  if (!caseOnly) await client.query('DELETE FROM users WHERE account_id = $1 AND user_name = $2', [change.accountId, from]);
}
