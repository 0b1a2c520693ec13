/**
 * Applies identity changes (../identity-change.ts) to SQLite, in the writer thread, inside the
 * commit of the call's record (see state-changes.ts). Handlers check IAM's rules (DeleteConflict,
 * limits) when they stage a change; the SQL here only refuses what became untrue meanwhile.
 */
import type { PrincipalKind, PrincipalRef } from '../../iam/identity-store.js';
import type { IdentityChange } from '../identity-change.js';
import { ChangeConflict, changed, deleted, inserted } from './change-sql.js';
import type { SqliteDatabase } from './database.js';
import { accessKeyParams, userParams } from './identity-rows.js';
import { StatementCache } from './statement-cache.js';

const BY_PRINCIPAL = 'account_id = ? AND principal_kind = ? AND principal_name = ? COLLATE NOCASE';

/** IAM's quotas, re-checked at commit so that two calls racing cannot exceed them together. */
export const IAM_QUOTAS = { accessKeysPerUser: 2, managedPoliciesPerPrincipal: 10, versionsPerPolicy: 5, groupsPerUser: 10 } as const;

const PRINCIPAL_TABLES: Record<PrincipalKind, { table: string; name: string }> = {
  user: { table: 'users', name: 'user_name' },
  role: { table: 'roles', name: 'role_name' },
  group: { table: 'iam_groups', name: 'group_name' },
};

export class IdentityChangeWriter {
  readonly #db: SqliteDatabase;
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  apply(change: IdentityChange): void {
    const sql = this.#sql;
    switch (change.kind) {
      case 'createAccount': {
        const a = change.account;
        return inserted(sql.get('INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?)'), a.accountId, a.name, a.createdAt);
      }
      case 'createUser':
        return inserted(
          sql.get('INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
          ...userParams(change.user),
        );
      case 'updateUser':
        return this.#updateUser(change);
      case 'deleteUser':
        this.#requireNothingAttached({ accountId: change.accountId, kind: 'user', name: change.userName });
        if (this.#count('SELECT COUNT(*) AS n FROM group_members WHERE account_id = ? AND user_name = ? COLLATE NOCASE', change.accountId, change.userName) > 0) {
          throw new ChangeConflict('inUse');
        }
        return deleted(sql.get('DELETE FROM users WHERE account_id = ? AND user_name = ? COLLATE NOCASE'), change.accountId, change.userName);
      case 'createAccessKey':
        if (this.#count('SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_name = ? COLLATE NOCASE', change.key.accountId, change.key.userName) >= IAM_QUOTAS.accessKeysPerUser) {
          throw new ChangeConflict('inUse');
        }
        return inserted(
          sql.get('INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
          ...accessKeyParams(change.key),
        );
      case 'setAccessKeyStatus':
        return changed(sql.get('UPDATE access_keys SET status = ? WHERE access_key_id = ? AND account_id = ?'), change.status, change.accessKeyId, change.accountId);
      case 'deleteAccessKey':
        changed(sql.get('DELETE FROM access_keys WHERE access_key_id = ? AND account_id = ?'), change.accessKeyId, change.accountId);
        sql.get('DELETE FROM access_key_last_used WHERE access_key_id = ?').run(change.accessKeyId);
        return;
      case 'putInlinePolicy': {
        const { principal, policyName, document } = change.policy;
        this.#requirePrincipal(principal);
        const info = sql
          .get(`UPDATE inline_policies SET document = ? WHERE ${BY_PRINCIPAL} AND policy_name = ? COLLATE NOCASE`)
          .run(document, principal.accountId, principal.kind, principal.name, policyName);
        if (info.changes > 0) return;
        return inserted(
          sql.get('INSERT INTO inline_policies (account_id, principal_kind, principal_name, policy_name, document) VALUES (?, ?, ?, ?, ?)'),
          principal.accountId,
          principal.kind,
          principal.name,
          policyName,
          document,
        );
      }
      case 'deleteInlinePolicy': {
        const p = change.principal;
        return changed(sql.get(`DELETE FROM inline_policies WHERE ${BY_PRINCIPAL} AND policy_name = ? COLLATE NOCASE`), p.accountId, p.kind, p.name, change.policyName);
      }
      case 'createManagedPolicy': {
        const p = change.policy;
        inserted(
          sql.get(
            `INSERT INTO managed_policies (policy_arn, account_id, policy_name, policy_id, path, description, default_version_id, created_at, updated_at, tags)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
          p.policyArn,
          p.accountId,
          p.policyName,
          p.policyId,
          p.path,
          p.description ?? null,
          p.defaultVersionId,
          p.createdAt,
          p.updatedAt,
          JSON.stringify(p.tags ?? []),
        );
        this.#takeVersionNumber(p.policyArn, change.firstVersion.versionId);
        return this.#insertVersion(change.firstVersion);
      }
      case 'deleteManagedPolicy':
        // Versions go with it (ON DELETE CASCADE); one attached meanwhile keeps it.
        if (this.#count('SELECT COUNT(*) AS n FROM policy_attachments WHERE policy_arn = ?', change.policyArn) > 0) throw new ChangeConflict('inUse');
        return changed(sql.get('DELETE FROM managed_policies WHERE policy_arn = ?'), change.policyArn);
      case 'createPolicyVersion':
        if (this.#count('SELECT COUNT(*) AS n FROM managed_policy_versions WHERE policy_arn = ?', change.version.policyArn) >= IAM_QUOTAS.versionsPerPolicy) {
          throw new ChangeConflict('inUse');
        }
        this.#takeVersionNumber(change.version.policyArn, change.version.versionId);
        this.#insertVersion(change.version);
        if (change.setAsDefault) {
          changed(
            sql.get('UPDATE managed_policies SET default_version_id = ?, updated_at = ? WHERE policy_arn = ?'),
            change.version.versionId,
            change.version.createdAt,
            change.version.policyArn,
          );
        }
        return;
      case 'deletePolicyVersion':
        return changed(
          sql.get(
            `DELETE FROM managed_policy_versions WHERE policy_arn = ? AND version_id = ?
               AND version_id <> (SELECT default_version_id FROM managed_policies WHERE policy_arn = ?)`,
          ),
          change.policyArn,
          change.versionId,
          change.policyArn,
        );
      case 'setDefaultPolicyVersion':
        return changed(
          sql.get(
            `UPDATE managed_policies SET default_version_id = ?, updated_at = ? WHERE policy_arn = ?
               AND EXISTS (SELECT 1 FROM managed_policy_versions WHERE policy_arn = ? AND version_id = ?)`,
          ),
          change.versionId,
          change.timeMs,
          change.policyArn,
          change.policyArn,
          change.versionId,
        );
      case 'attachPolicy': {
        const p = change.principal;
        this.#requirePrincipal(p);
        if (!change.policyArn.startsWith('arn:aws:iam::aws:') && this.#count('SELECT COUNT(*) AS n FROM managed_policies WHERE policy_arn = ?', change.policyArn) === 0) {
          throw new ChangeConflict('missing');
        }
        if (this.#count(`SELECT COUNT(*) AS n FROM policy_attachments WHERE ${BY_PRINCIPAL}`, p.accountId, p.kind, p.name) >= IAM_QUOTAS.managedPoliciesPerPrincipal) {
          throw new ChangeConflict('inUse');
        }
        return inserted(
          sql.get('INSERT INTO policy_attachments (account_id, principal_kind, principal_name, policy_arn) VALUES (?, ?, ?, ?)'),
          p.accountId,
          p.kind,
          p.name,
          change.policyArn,
        );
      }
      case 'detachPolicy': {
        const p = change.principal;
        return changed(sql.get(`DELETE FROM policy_attachments WHERE ${BY_PRINCIPAL} AND policy_arn = ?`), p.accountId, p.kind, p.name, change.policyArn);
      }
      case 'createRole': {
        const r = change.role;
        return inserted(
          sql.get(
            `INSERT INTO roles (account_id, role_name, role_id, path, trust_policy, description, max_session_duration, tags, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
          r.accountId,
          r.roleName,
          r.roleId,
          r.path,
          r.trustPolicy,
          r.description ?? null,
          r.maxSessionDuration,
          JSON.stringify(r.tags),
          r.createdAt,
        );
      }
      case 'updateRole':
        return changed(
          sql.get(
            'UPDATE roles SET description = COALESCE(?, description), max_session_duration = COALESCE(?, max_session_duration) WHERE account_id = ? AND role_name = ? COLLATE NOCASE',
          ),
          change.description ?? null,
          change.maxSessionDuration ?? null,
          change.accountId,
          change.roleName,
        );
      case 'updateAssumeRolePolicy':
        return changed(sql.get('UPDATE roles SET trust_policy = ? WHERE account_id = ? AND role_name = ? COLLATE NOCASE'), change.document, change.accountId, change.roleName);
      case 'deleteRole':
        this.#requireNothingAttached({ accountId: change.accountId, kind: 'role', name: change.roleName });
        return deleted(sql.get('DELETE FROM roles WHERE account_id = ? AND role_name = ? COLLATE NOCASE'), change.accountId, change.roleName);
      case 'createGroup': {
        const g = change.group;
        return inserted(
          sql.get('INSERT INTO iam_groups (account_id, group_name, group_id, path, created_at) VALUES (?, ?, ?, ?, ?)'),
          g.accountId,
          g.groupName,
          g.groupId,
          g.path,
          g.createdAt,
        );
      }
      case 'deleteGroup':
        this.#requireNothingAttached({ accountId: change.accountId, kind: 'group', name: change.groupName });
        if (this.#count('SELECT COUNT(*) AS n FROM group_members WHERE account_id = ? AND group_name = ? COLLATE NOCASE', change.accountId, change.groupName) > 0) {
          throw new ChangeConflict('inUse');
        }
        return deleted(sql.get('DELETE FROM iam_groups WHERE account_id = ? AND group_name = ? COLLATE NOCASE'), change.accountId, change.groupName);
      case 'addUserToGroup':
        if (this.#count('SELECT COUNT(*) AS n FROM group_members WHERE account_id = ? AND user_name = ? COLLATE NOCASE', change.accountId, change.userName) >= IAM_QUOTAS.groupsPerUser) {
          throw new ChangeConflict('inUse');
        }
        // Names as stored (exact case), so joins need no collation; both must still exist.
        return changed(
          sql.get(
            `INSERT OR IGNORE INTO group_members (account_id, group_name, user_name)
             SELECT g.account_id, g.group_name, u.user_name FROM iam_groups g JOIN users u ON u.account_id = g.account_id
              WHERE g.account_id = ? AND g.group_name = ? COLLATE NOCASE AND u.user_name = ? COLLATE NOCASE`,
          ),
          change.accountId,
          change.groupName,
          change.userName,
        );
      case 'removeUserFromGroup':
        return changed(
          sql.get('DELETE FROM group_members WHERE account_id = ? AND group_name = ? COLLATE NOCASE AND user_name = ? COLLATE NOCASE'),
          change.accountId,
          change.groupName,
          change.userName,
        );
      case 'createSession': {
        const s = change.session;
        return inserted(
          sql.get(
            `INSERT INTO sessions (access_key_id, account_id, secret_sealed, token_hash, issuer, session_name, mfa_authenticated, source_identity, issued_with_access_key_id, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
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
        );
      }
      case 'createOrganization': {
        const o = change.organization;
        inserted(
          sql.get('INSERT INTO organizations (org_id, management_account_id, feature_set, created_at) VALUES (?, ?, ?, ?)'),
          o.orgId,
          o.managementAccountId,
          o.featureSet,
          o.createdAt,
        );
        return this.#insertMember(change.managementAccount);
      }
      case 'addOrganizationAccount':
        return this.#insertMember(change.member);
      case 'putCreateAccountRequest': {
        const r = change.request;
        sql
          .get(
            `INSERT INTO create_account_requests (request_id, org_id, account_name, email, state, account_id, failure_reason, requested_at, completed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (request_id) DO UPDATE SET state = excluded.state, account_id = excluded.account_id,
               failure_reason = excluded.failure_reason, completed_at = excluded.completed_at`,
          )
          .run(r.requestId, r.orgId, r.accountName, r.email, r.state, r.accountId ?? null, r.failureReason ?? null, r.requestedAt, r.completedAt ?? null);
        return;
      }
      case 'registerDelegatedAdmin': {
        const a = change.admin;
        return inserted(
          sql.get('INSERT INTO delegated_admins (org_id, account_id, service_principal, registered_at) VALUES (?, ?, ?, ?)'),
          a.orgId,
          a.accountId,
          a.servicePrincipal,
          a.registeredAt,
        );
      }
      case 'deregisterDelegatedAdmin':
        return changed(
          sql.get('DELETE FROM delegated_admins WHERE org_id = ? AND account_id = ? AND service_principal = ?'),
          change.orgId,
          change.accountId,
          change.servicePrincipal,
        );
    }
  }

  #count(sql: string, ...params: unknown[]): number {
    return (this.#sql.get(sql).get(...params) as { n: number }).n;
  }

  /** A policy for a user, role or group deleted meanwhile would be left behind: refused as missing. */
  #requirePrincipal(p: PrincipalRef): void {
    const { table, name } = PRINCIPAL_TABLES[p.kind];
    if (this.#count(`SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ? AND ${name} = ? COLLATE NOCASE`, p.accountId, p.name) === 0) {
      throw new ChangeConflict('missing');
    }
  }

  /** IAM's DeleteConflict, re-checked at commit: policies put or attached meanwhile keep the principal. */
  #requireNothingAttached(p: PrincipalRef): void {
    for (const table of ['inline_policies', 'policy_attachments']) {
      if (this.#count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${BY_PRINCIPAL}`, p.accountId, p.kind, p.name) > 0) throw new ChangeConflict('inUse');
    }
  }

  /** A version id is given once per policy, ever: a number at or below the highest given is taken. */
  #takeVersionNumber(policyArn: string, versionId: string): void {
    const number = Number(versionId.slice(1));
    const row = this.#sql.get('SELECT last_version_number AS n FROM managed_policies WHERE policy_arn = ?').get(policyArn) as { n: number } | undefined;
    if (row === undefined) throw new ChangeConflict('missing');
    if (!Number.isSafeInteger(number) || number <= row.n) throw new ChangeConflict('exists');
    this.#sql.get('UPDATE managed_policies SET last_version_number = ? WHERE policy_arn = ?').run(number, policyArn);
  }

  #insertVersion(v: { policyArn: string; versionId: string; document: string; createdAt: number }): void {
    inserted(
      this.#sql.get('INSERT INTO managed_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, ?)'),
      v.policyArn,
      v.versionId,
      v.document,
      v.createdAt,
    );
  }

  #insertMember(m: { orgId: string; accountId: string; name: string; email: string; joinedMethod: string; joinedAt: number }): void {
    inserted(
      this.#sql.get('INSERT INTO organization_accounts (account_id, org_id, name, email, joined_method, joined_at) VALUES (?, ?, ?, ?, ?, ?)'),
      m.accountId,
      m.orgId,
      m.name,
      m.email,
      m.joinedMethod,
      m.joinedAt,
    );
  }

  /**
   * A rename moves everything that names the user. Access keys refer to the user's row (foreign
   * key), so the renamed row is inserted first, the references moved, then the old row deleted.
   */
  #updateUser(change: Extract<IdentityChange, { kind: 'updateUser' }>): void {
    const sql = this.#sql;
    const user = sql.get('SELECT user_name FROM users WHERE account_id = ? AND user_name = ? COLLATE NOCASE').get(change.accountId, change.userName) as
      | { user_name: string }
      | undefined;
    if (user === undefined) throw new ChangeConflict('missing');
    const from = user.user_name;
    if (change.newPath !== undefined) sql.get('UPDATE users SET path = ? WHERE account_id = ? AND user_name = ?').run(change.newPath, change.accountId, from);
    const to = change.newUserName;
    if (to === undefined || to === from) return;
    // A new name that differs only in case is the same name to the NOCASE index, so the row is
    // renamed in place and the access keys' foreign key checked at commit (rare enough that
    // deferring it for the rest of this group commit costs nothing in practice).
    if (to.toLowerCase() === from.toLowerCase()) {
      this.#db.pragma('defer_foreign_keys = ON');
      sql.get('UPDATE users SET user_name = ? WHERE account_id = ? AND user_name = ?').run(to, change.accountId, from);
    } else {
      inserted(
        sql.get(
          `INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at)
           SELECT account_id, ?, principal_id, path, tags, created_at FROM users WHERE account_id = ? AND user_name = ?`,
        ),
        to,
        change.accountId,
        from,
      );
    }
    for (const table of ['access_keys', 'group_members']) {
      sql.get(`UPDATE ${table} SET user_name = ? WHERE account_id = ? AND user_name = ?`).run(to, change.accountId, from);
    }
    for (const table of ['inline_policies', 'policy_attachments']) {
      sql.get(`UPDATE ${table} SET principal_name = ? WHERE account_id = ? AND principal_kind = 'user' AND principal_name = ?`).run(to, change.accountId, from);
    }
    if (to.toLowerCase() !== from.toLowerCase()) sql.get('DELETE FROM users WHERE account_id = ? AND user_name = ?').run(change.accountId, from);
  }
}
