/**
 * The identity port on PostgreSQL (reads, and bootstrap writes), over the pool every adapter
 * shares. The tables are SQLite's (schema/identity.ts), so rows map to the domain as
 * sqlite/identity-rows.ts maps them, once BIGINT columns are read as numbers.
 *
 * Orders follow SQLite's: names compared as its NOCASE compares them (ASCII lowered, then byte
 * order), other text in byte order, hence COLLATE "C" whatever the database's collation.
 */
import pg from 'pg';
import type { Pool, QueryResultRow } from 'pg';
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
import * as rows from '../sqlite/identity-rows.js';
import { isUniqueViolation } from './pool.js';

const INT8_OID = 20;

/** BIGINT as a JavaScript number for these queries only (times in ms and counters stay far below 2^53). */
const NUMERIC_INT8: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text'): unknown =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLite's CAST(substr(version_id, 2) AS INTEGER): the leading digits after the `v`, 0 when none. */
const VERSION_NUMBER = "COALESCE(substring(version_id FROM '^.([0-9]+)')::numeric, 0)";

export class PostgresIdentityStore implements IdentityStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async #rows<Row extends QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    return (await this.#pool.query<Row>({ text, values, types: NUMERIC_INT8 })).rows;
  }

  async #one<Row extends QueryResultRow, T>(text: string, map: (row: Row) => T, ...values: unknown[]): Promise<T | undefined> {
    const [row] = await this.#rows<Row>(text, values);
    return row === undefined ? undefined : map(row);
  }

  async #all<Row extends QueryResultRow, T>(text: string, map: (row: Row) => T, ...values: unknown[]): Promise<T[]> {
    return (await this.#rows<Row>(text, values)).map(map);
  }

  /** A write outside any state change (bootstrap, bookkeeping): a taken key is the port's AlreadyExistsError. */
  async #run(what: string, text: string, ...values: unknown[]): Promise<number> {
    try {
      return (await this.#pool.query(text, values)).rowCount ?? 0;
    } catch (error) {
      throw isUniqueViolation(error) ? new AlreadyExistsError(what) : error;
    }
  }

  async createAccount(account: Account): Promise<void> {
    await this.#run(`account ${account.accountId}`, 'INSERT INTO accounts (account_id, name, created_at) VALUES ($1, $2, $3)', account.accountId, account.name, account.createdAt);
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    return this.#one('SELECT * FROM accounts WHERE account_id = $1', rows.toAccount, accountId);
  }

  async listAccounts(): Promise<Account[]> {
    return this.#all('SELECT * FROM accounts ORDER BY created_at, account_id COLLATE "C"', rows.toAccount);
  }

  async createUser(user: User): Promise<void> {
    await this.#run(
      `user ${user.userName} in account ${user.accountId}`,
      'INSERT INTO users (account_id, user_name, principal_id, path, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      ...rows.userParams(user),
    );
  }

  async getUser(accountId: string, userName: string): Promise<User | undefined> {
    return this.#one('SELECT * FROM users WHERE account_id = $1 AND lower(user_name) = lower($2)', rows.toUser, accountId, userName);
  }

  async listUsers(accountId: string): Promise<User[]> {
    return this.#all('SELECT * FROM users WHERE account_id = $1 ORDER BY lower(user_name) COLLATE "C"', rows.toUser, accountId);
  }

  async createAccessKey(key: StoredAccessKey): Promise<void> {
    await this.#run(
      `access key ${key.accessKeyId}`,
      'INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      ...rows.accessKeyParams(key),
    );
  }

  async findAccessKey(accessKeyId: string): Promise<StoredAccessKey | undefined> {
    return this.#one('SELECT * FROM access_keys WHERE access_key_id = $1', rows.toAccessKey, accessKeyId);
  }

  async listAccessKeys(accountId: string): Promise<StoredAccessKey[]> {
    return this.#all(
      'SELECT * FROM access_keys WHERE account_id = $1 ORDER BY user_name COLLATE "C", created_at, access_key_id COLLATE "C"',
      rows.toAccessKey,
      accountId,
    );
  }

  async listUserAccessKeys(accountId: string, userName: string): Promise<StoredAccessKey[]> {
    return this.#all(
      'SELECT * FROM access_keys WHERE account_id = $1 AND lower(user_name) = lower($2) ORDER BY created_at, access_key_id COLLATE "C"',
      rows.toAccessKey,
      accountId,
      userName,
    );
  }

  async accessKeyLastUsed(accessKeyId: string): Promise<AccessKeyLastUsed | undefined> {
    return this.#one('SELECT * FROM access_key_last_used WHERE access_key_id = $1', rows.toLastUsed, accessKeyId);
  }

  async noteAccessKeyUsed(accessKeyId: string, used: AccessKeyLastUsed): Promise<void> {
    // Nodes noting the same key at once: the latest use wins, whichever node writes last.
    await this.#run(
      '',
      `INSERT INTO access_key_last_used (access_key_id, used_at, service_name, region) VALUES ($1, $2, $3, $4)
       ON CONFLICT (access_key_id) DO UPDATE SET used_at = EXCLUDED.used_at, service_name = EXCLUDED.service_name, region = EXCLUDED.region
       WHERE EXCLUDED.used_at > access_key_last_used.used_at`,
      accessKeyId,
      used.timeMs,
      used.serviceName,
      used.region,
    );
  }

  async getRole(accountId: string, roleName: string): Promise<Role | undefined> {
    return this.#one('SELECT * FROM roles WHERE account_id = $1 AND lower(role_name) = lower($2)', rows.toRole, accountId, roleName);
  }

  async listRoles(accountId: string): Promise<Role[]> {
    return this.#all('SELECT * FROM roles WHERE account_id = $1 ORDER BY lower(role_name) COLLATE "C"', rows.toRole, accountId);
  }

  async getGroup(accountId: string, groupName: string): Promise<Group | undefined> {
    return this.#one('SELECT * FROM iam_groups WHERE account_id = $1 AND lower(group_name) = lower($2)', rows.toGroup, accountId, groupName);
  }

  async listGroups(accountId: string): Promise<Group[]> {
    return this.#all('SELECT * FROM iam_groups WHERE account_id = $1 ORDER BY lower(group_name) COLLATE "C"', rows.toGroup, accountId);
  }

  async listGroupMembers(accountId: string, groupName: string): Promise<User[]> {
    return this.#all(
      `SELECT u.* FROM group_members m JOIN users u ON u.account_id = m.account_id AND u.user_name = m.user_name
        WHERE m.account_id = $1 AND lower(m.group_name) = lower($2) ORDER BY lower(u.user_name) COLLATE "C"`,
      rows.toUser,
      accountId,
      groupName,
    );
  }

  async listGroupsOfUser(accountId: string, userName: string): Promise<Group[]> {
    return this.#all(
      `SELECT g.* FROM group_members m JOIN iam_groups g ON g.account_id = m.account_id AND g.group_name = m.group_name
        WHERE m.account_id = $1 AND lower(m.user_name) = lower($2) ORDER BY lower(g.group_name) COLLATE "C"`,
      rows.toGroup,
      accountId,
      userName,
    );
  }

  async getInlinePolicy(principal: PrincipalRef, policyName: string): Promise<InlinePolicy | undefined> {
    return this.#one(
      `SELECT * FROM inline_policies
        WHERE account_id = $1 AND principal_kind = $2 AND lower(principal_name) = lower($3) AND lower(policy_name) = lower($4)`,
      rows.toInlinePolicy,
      principal.accountId,
      principal.kind,
      principal.name,
      policyName,
    );
  }

  async listInlinePolicies(principal: PrincipalRef): Promise<InlinePolicy[]> {
    return this.#all(
      `SELECT * FROM inline_policies WHERE account_id = $1 AND principal_kind = $2 AND lower(principal_name) = lower($3)
        ORDER BY lower(policy_name) COLLATE "C"`,
      rows.toInlinePolicy,
      principal.accountId,
      principal.kind,
      principal.name,
    );
  }

  async putInlinePolicy(policy: InlinePolicy): Promise<void> {
    await this.#run(
      '',
      `INSERT INTO inline_policies (account_id, principal_kind, principal_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, principal_kind, principal_name, policy_name) DO UPDATE SET document = EXCLUDED.document`,
      policy.principal.accountId,
      policy.principal.kind,
      policy.principal.name,
      policy.policyName,
      policy.document,
    );
  }

  async getManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined> {
    return this.#one('SELECT * FROM managed_policies WHERE policy_arn = $1', rows.toManagedPolicy, policyArn);
  }

  async listManagedPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return this.#all('SELECT * FROM managed_policies WHERE account_id = $1 ORDER BY lower(policy_name) COLLATE "C"', rows.toManagedPolicy, accountId);
  }

  async getPolicyVersion(policyArn: string, versionId: string): Promise<PolicyVersion | undefined> {
    return this.#one('SELECT * FROM managed_policy_versions WHERE policy_arn = $1 AND version_id = $2', rows.toPolicyVersion, policyArn, versionId);
  }

  async listPolicyVersions(policyArn: string): Promise<PolicyVersion[]> {
    return this.#all(`SELECT * FROM managed_policy_versions WHERE policy_arn = $1 ORDER BY ${VERSION_NUMBER} DESC`, rows.toPolicyVersion, policyArn);
  }

  async listAttachedPolicyArns(principal: PrincipalRef): Promise<string[]> {
    return this.#all(
      `SELECT policy_arn FROM policy_attachments WHERE account_id = $1 AND principal_kind = $2 AND lower(principal_name) = lower($3)
        ORDER BY policy_arn COLLATE "C"`,
      (row: { policy_arn: string }) => row.policy_arn,
      principal.accountId,
      principal.kind,
      principal.name,
    );
  }

  async listPolicyAttachments(policyArn: string, accountId: string): Promise<PrincipalRef[]> {
    return this.#all(
      'SELECT * FROM policy_attachments WHERE policy_arn = $1 AND account_id = $2 ORDER BY principal_kind COLLATE "C", principal_name COLLATE "C"',
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
      'INSERT INTO policy_attachments (account_id, principal_kind, principal_name, policy_arn) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      principal.accountId,
      principal.kind,
      principal.name,
      policyArn,
    );
  }

  async findSession(accessKeyId: string): Promise<StoredSession | undefined> {
    return this.#one('SELECT * FROM sessions WHERE access_key_id = $1', rows.toSession, accessKeyId);
  }

  async deleteSessionsExpiredBefore(beforeMs: number): Promise<number> {
    return this.#run('', 'DELETE FROM sessions WHERE expires_at < $1', beforeMs);
  }

  async getOrganization(orgId: string): Promise<Organization | undefined> {
    return this.#one('SELECT * FROM organizations WHERE org_id = $1', rows.toOrganization, orgId);
  }

  async organizationOfAccount(accountId: string): Promise<Organization | undefined> {
    return this.#one(
      'SELECT o.* FROM organization_accounts a JOIN organizations o ON o.org_id = a.org_id WHERE a.account_id = $1',
      rows.toOrganization,
      accountId,
    );
  }

  async getOrganizationAccount(accountId: string): Promise<OrganizationAccount | undefined> {
    return this.#one('SELECT * FROM organization_accounts WHERE account_id = $1', rows.toOrganizationAccount, accountId);
  }

  async listOrganizationAccounts(orgId: string): Promise<OrganizationAccount[]> {
    return this.#all('SELECT * FROM organization_accounts WHERE org_id = $1 ORDER BY joined_at, account_id COLLATE "C"', rows.toOrganizationAccount, orgId);
  }

  async getCreateAccountRequest(requestId: string): Promise<CreateAccountRequest | undefined> {
    return this.#one('SELECT * FROM create_account_requests WHERE request_id = $1', rows.toCreateAccountRequest, requestId);
  }

  async listCreateAccountRequests(orgId: string): Promise<CreateAccountRequest[]> {
    return this.#all(
      'SELECT * FROM create_account_requests WHERE org_id = $1 ORDER BY requested_at, request_id COLLATE "C"',
      rows.toCreateAccountRequest,
      orgId,
    );
  }

  async listDelegatedAdmins(orgId: string): Promise<DelegatedAdmin[]> {
    return this.#all('SELECT * FROM delegated_admins WHERE org_id = $1 ORDER BY registered_at, account_id COLLATE "C", service_principal COLLATE "C"', rows.toDelegatedAdmin, orgId);
  }
}
