/** The identity port on the same SQLite database as the event log (reads, and bootstrap writes). */
import type {
  AccessKeyLastUsed,
  Account,
  CreateAccountRequest,
  DelegatedAdmin,
  Group,
  IdentityStore,
  InlinePolicy,
  ManagedPolicy,
  Organization,
  OrganizationAccount,
  PolicyVersion,
  PrincipalKind,
  PrincipalRef,
  Role,
  StoredAccessKey,
  StoredSession,
  User,
} from '../../iam/identity-store.js';
import { AlreadyExistsError } from '../../iam/identity-store.js';
import type { SqliteDatabase } from './database.js';
import { asError, isUniqueViolation } from './errors.js';
import * as rows from './identity-rows.js';
import { StatementCache } from './statement-cache.js';

export class SqliteIdentityStore implements IdentityStore {
  readonly #sql: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
  }

  // Async so that a SQLite error is a rejection, never a synchronous throw past a .catch.
  async #one<Row, T>(sql: string, map: (row: Row) => T, ...params: unknown[]): Promise<T | undefined> {
    const row = this.#sql.get(sql).get(...params) as Row | undefined;
    return row === undefined ? undefined : map(row);
  }

  async #all<Row, T>(sql: string, map: (row: Row) => T, ...params: unknown[]): Promise<T[]> {
    return (this.#sql.get(sql).all(...params) as Row[]).map(map);
  }

  async #run(what: string, sql: string, ...params: unknown[]): Promise<number> {
    try {
      return this.#sql.get(sql).run(...params).changes;
    } catch (error) {
      throw isUniqueViolation(error) ? new AlreadyExistsError(what) : asError(error);
    }
  }

  async createAccount(account: Account): Promise<void> {
    await this.#run(`account ${account.accountId}`, 'INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?)', account.accountId, account.name, account.createdAt);
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    return this.#one('SELECT * FROM accounts WHERE account_id = ?', rows.toAccount, accountId);
  }

  async listAccounts(): Promise<Account[]> {
    return this.#all('SELECT * FROM accounts ORDER BY created_at, account_id', rows.toAccount);
  }

  async createUser(user: User): Promise<void> {
    await this.#run(
      `user ${user.userName} in account ${user.accountId}`,
      'INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ...rows.userParams(user),
    );
  }

  async getUser(accountId: string, userName: string): Promise<User | undefined> {
    return this.#one('SELECT * FROM users WHERE account_id = ? AND user_name = ? COLLATE NOCASE', rows.toUser, accountId, userName);
  }

  async listUsers(accountId: string): Promise<User[]> {
    return this.#all('SELECT * FROM users WHERE account_id = ? ORDER BY user_name COLLATE NOCASE', rows.toUser, accountId);
  }

  async createAccessKey(key: StoredAccessKey): Promise<void> {
    await this.#run(
      `access key ${key.accessKeyId}`,
      'INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ...rows.accessKeyParams(key),
    );
  }

  async findAccessKey(accessKeyId: string): Promise<StoredAccessKey | undefined> {
    return this.#one('SELECT * FROM access_keys WHERE access_key_id = ?', rows.toAccessKey, accessKeyId);
  }

  async listAccessKeys(accountId: string): Promise<StoredAccessKey[]> {
    return this.#all('SELECT * FROM access_keys WHERE account_id = ? ORDER BY user_name, created_at', rows.toAccessKey, accountId);
  }

  async listUserAccessKeys(accountId: string, userName: string): Promise<StoredAccessKey[]> {
    return this.#all(
      'SELECT * FROM access_keys WHERE account_id = ? AND user_name = ? COLLATE NOCASE ORDER BY created_at, access_key_id',
      rows.toAccessKey,
      accountId,
      userName,
    );
  }

  async accessKeyLastUsed(accessKeyId: string): Promise<AccessKeyLastUsed | undefined> {
    return this.#one('SELECT * FROM access_key_last_used WHERE access_key_id = ?', rows.toLastUsed, accessKeyId);
  }

  async noteAccessKeyUsed(accessKeyId: string, used: AccessKeyLastUsed): Promise<void> {
    await this.#run(
      '',
      `INSERT INTO access_key_last_used (access_key_id, used_at, service_name, region) VALUES (?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET used_at = excluded.used_at, service_name = excluded.service_name, region = excluded.region
       WHERE excluded.used_at > access_key_last_used.used_at`,
      accessKeyId,
      used.timeMs,
      used.serviceName,
      used.region,
    );
  }

  async getRole(accountId: string, roleName: string): Promise<Role | undefined> {
    return this.#one('SELECT * FROM roles WHERE account_id = ? AND role_name = ? COLLATE NOCASE', rows.toRole, accountId, roleName);
  }

  async listRoles(accountId: string): Promise<Role[]> {
    return this.#all('SELECT * FROM roles WHERE account_id = ? ORDER BY role_name COLLATE NOCASE', rows.toRole, accountId);
  }

  async getGroup(accountId: string, groupName: string): Promise<Group | undefined> {
    return this.#one('SELECT * FROM iam_groups WHERE account_id = ? AND group_name = ? COLLATE NOCASE', rows.toGroup, accountId, groupName);
  }

  async listGroups(accountId: string): Promise<Group[]> {
    return this.#all('SELECT * FROM iam_groups WHERE account_id = ? ORDER BY group_name COLLATE NOCASE', rows.toGroup, accountId);
  }

  async listGroupMembers(accountId: string, groupName: string): Promise<User[]> {
    return this.#all(
      `SELECT u.* FROM group_members m JOIN users u ON u.account_id = m.account_id AND u.user_name = m.user_name
        WHERE m.account_id = ? AND m.group_name = ? COLLATE NOCASE ORDER BY u.user_name COLLATE NOCASE`,
      rows.toUser,
      accountId,
      groupName,
    );
  }

  async listGroupsOfUser(accountId: string, userName: string): Promise<Group[]> {
    return this.#all(
      `SELECT g.* FROM group_members m JOIN iam_groups g ON g.account_id = m.account_id AND g.group_name = m.group_name
        WHERE m.account_id = ? AND m.user_name = ? COLLATE NOCASE ORDER BY g.group_name COLLATE NOCASE`,
      rows.toGroup,
      accountId,
      userName,
    );
  }

  async getInlinePolicy(principal: PrincipalRef, policyName: string): Promise<InlinePolicy | undefined> {
    return this.#one(
      'SELECT * FROM inline_policies WHERE account_id = ? AND principal_kind = ? AND principal_name = ? COLLATE NOCASE AND policy_name = ? COLLATE NOCASE',
      rows.toInlinePolicy,
      principal.accountId,
      principal.kind,
      principal.name,
      policyName,
    );
  }

  async listInlinePolicies(principal: PrincipalRef): Promise<InlinePolicy[]> {
    return this.#all(
      'SELECT * FROM inline_policies WHERE account_id = ? AND principal_kind = ? AND principal_name = ? COLLATE NOCASE ORDER BY policy_name COLLATE NOCASE',
      rows.toInlinePolicy,
      principal.accountId,
      principal.kind,
      principal.name,
    );
  }

  async putInlinePolicy(policy: InlinePolicy): Promise<void> {
    await this.#run(
      '',
      `INSERT INTO inline_policies (account_id, principal_kind, principal_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, principal_kind, principal_name, policy_name) DO UPDATE SET document = excluded.document`,
      policy.principal.accountId,
      policy.principal.kind,
      policy.principal.name,
      policy.policyName,
      policy.document,
    );
  }

  async getManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined> {
    return this.#one('SELECT * FROM managed_policies WHERE policy_arn = ?', rows.toManagedPolicy, policyArn);
  }

  async listManagedPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return this.#all('SELECT * FROM managed_policies WHERE account_id = ? ORDER BY policy_name COLLATE NOCASE', rows.toManagedPolicy, accountId);
  }

  async getPolicyVersion(policyArn: string, versionId: string): Promise<PolicyVersion | undefined> {
    return this.#one('SELECT * FROM managed_policy_versions WHERE policy_arn = ? AND version_id = ?', rows.toPolicyVersion, policyArn, versionId);
  }

  async listPolicyVersions(policyArn: string): Promise<PolicyVersion[]> {
    return this.#all(
      'SELECT * FROM managed_policy_versions WHERE policy_arn = ? ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC',
      rows.toPolicyVersion,
      policyArn,
    );
  }

  async listAttachedPolicyArns(principal: PrincipalRef): Promise<string[]> {
    return this.#all(
      'SELECT policy_arn FROM policy_attachments WHERE account_id = ? AND principal_kind = ? AND principal_name = ? COLLATE NOCASE ORDER BY policy_arn',
      (row: { policy_arn: string }) => row.policy_arn,
      principal.accountId,
      principal.kind,
      principal.name,
    );
  }

  async listPolicyAttachments(policyArn: string, accountId: string): Promise<PrincipalRef[]> {
    return this.#all(
      'SELECT * FROM policy_attachments WHERE policy_arn = ? AND account_id = ? ORDER BY principal_kind, principal_name',
      (row: { account_id: string; principal_kind: PrincipalKind; principal_name: string }) => ({
        accountId: row.account_id,
        kind: row.principal_kind,
        name: row.principal_name,
      }),
      policyArn,
      accountId,
    );
  }

  async attachPolicy(principal: PrincipalRef, policyArn: string): Promise<void> {
    await this.#run(
      '',
      'INSERT OR IGNORE INTO policy_attachments (account_id, principal_kind, principal_name, policy_arn) VALUES (?, ?, ?, ?)',
      principal.accountId,
      principal.kind,
      principal.name,
      policyArn,
    );
  }

  async findSession(accessKeyId: string): Promise<StoredSession | undefined> {
    return this.#one('SELECT * FROM sessions WHERE access_key_id = ?', rows.toSession, accessKeyId);
  }

  async deleteSessionsExpiredBefore(beforeMs: number): Promise<number> {
    return this.#run('', 'DELETE FROM sessions WHERE expires_at < ?', beforeMs);
  }

  async getOrganization(orgId: string): Promise<Organization | undefined> {
    return this.#one('SELECT * FROM organizations WHERE org_id = ?', rows.toOrganization, orgId);
  }

  async organizationOfAccount(accountId: string): Promise<Organization | undefined> {
    return this.#one(
      'SELECT o.* FROM organization_accounts a JOIN organizations o ON o.org_id = a.org_id WHERE a.account_id = ?',
      rows.toOrganization,
      accountId,
    );
  }

  async getOrganizationAccount(accountId: string): Promise<OrganizationAccount | undefined> {
    return this.#one('SELECT * FROM organization_accounts WHERE account_id = ?', rows.toOrganizationAccount, accountId);
  }

  async listOrganizationAccounts(orgId: string): Promise<OrganizationAccount[]> {
    return this.#all('SELECT * FROM organization_accounts WHERE org_id = ? ORDER BY joined_at, account_id', rows.toOrganizationAccount, orgId);
  }

  async getCreateAccountRequest(requestId: string): Promise<CreateAccountRequest | undefined> {
    return this.#one('SELECT * FROM create_account_requests WHERE request_id = ?', rows.toCreateAccountRequest, requestId);
  }

  async listCreateAccountRequests(orgId: string): Promise<CreateAccountRequest[]> {
    return this.#all('SELECT * FROM create_account_requests WHERE org_id = ? ORDER BY requested_at, request_id', rows.toCreateAccountRequest, orgId);
  }

  async listDelegatedAdmins(orgId: string): Promise<DelegatedAdmin[]> {
    return this.#all('SELECT * FROM delegated_admins WHERE org_id = ? ORDER BY registered_at, account_id', rows.toDelegatedAdmin, orgId);
  }
}
