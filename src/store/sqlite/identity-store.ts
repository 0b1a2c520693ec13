/** The identity port on the same SQLite database as the event log. */
import type {
  AccessKeyStatus,
  Account,
  AttachedPolicy,
  IdentityStore,
  StoredAccessKey,
  User,
} from '../../iam/identity-store.js';
import { AlreadyExistsError } from '../../iam/identity-store.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';
import { asError, isUniqueViolation } from './errors.js';

interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  user_name: string;
  secret_sealed: string;
  status: AccessKeyStatus;
  created_at: number;
}

function toAccessKey(row: AccessKeyRow): StoredAccessKey {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    userName: row.user_name,
    secretSealed: row.secret_sealed,
    status: row.status,
    createdAt: row.created_at,
  };
}


export class SqliteIdentityStore implements IdentityStore {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async #insert(what: string, sql: string, params: unknown[]): Promise<void> {
    try {
      this.#statements.get(sql).run(...params);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(isUniqueViolation(error) ? new AlreadyExistsError(what) : asError(error));
    }
  }

  async createAccount(account: Account): Promise<void> {
    return this.#insert(`account ${account.accountId}`, 'INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?)', [
      account.accountId,
      account.name,
      account.createdAt,
    ]);
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const row = this
      .#statements.get('SELECT account_id AS accountId, name, created_at AS createdAt FROM accounts WHERE account_id = ?')
      .get(accountId) as Account | undefined;
    return Promise.resolve(row);
  }

  async listAccounts(): Promise<Account[]> {
    return Promise.resolve(
      this
        .#statements.get('SELECT account_id AS accountId, name, created_at AS createdAt FROM accounts ORDER BY created_at, account_id')
        .all() as Account[],
    );
  }

  async createUser(user: User): Promise<void> {
    return this.#insert(
      `user ${user.userName} in account ${user.accountId}`,
      'INSERT INTO users (account_id, user_name, principal_id, created_at) VALUES (?, ?, ?, ?)',
      [user.accountId, user.userName, user.principalId, user.createdAt],
    );
  }

  async getUser(accountId: string, userName: string): Promise<User | undefined> {
    const row = this
      .#statements.get(
        'SELECT account_id AS accountId, user_name AS userName, principal_id AS principalId, created_at AS createdAt FROM users WHERE account_id = ? AND user_name = ?',
      )
      .get(accountId, userName) as User | undefined;
    return Promise.resolve(row);
  }

  async listUsers(accountId: string): Promise<User[]> {
    return Promise.resolve(
      this
        .#statements.get(
          'SELECT account_id AS accountId, user_name AS userName, principal_id AS principalId, created_at AS createdAt FROM users WHERE account_id = ? ORDER BY user_name',
        )
        .all(accountId) as User[],
    );
  }

  async createAccessKey(key: StoredAccessKey): Promise<void> {
    return this.#insert(
      `access key ${key.accessKeyId}`,
      'INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [key.accessKeyId, key.accountId, key.userName, key.secretSealed, key.status, key.createdAt],
    );
  }

  async findAccessKey(accessKeyId: string): Promise<StoredAccessKey | undefined> {
    const row = this.#statements.get('SELECT * FROM access_keys WHERE access_key_id = ?').get(accessKeyId) as
      | AccessKeyRow
      | undefined;
    return Promise.resolve(row && toAccessKey(row));
  }

  async listAccessKeys(accountId: string): Promise<StoredAccessKey[]> {
    const rows = this
      .#statements.get('SELECT * FROM access_keys WHERE account_id = ? ORDER BY user_name, created_at')
      .all(accountId) as AccessKeyRow[];
    return Promise.resolve(rows.map(toAccessKey));
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<boolean> {
    const info = this.#statements.get('UPDATE access_keys SET status = ? WHERE access_key_id = ?').run(status, accessKeyId);
    return Promise.resolve(info.changes > 0);
  }

  async putUserPolicy(accountId: string, userName: string, policy: AttachedPolicy): Promise<void> {
    this
      .#statements.get(
        `INSERT INTO user_policies (account_id, user_name, policy_name, kind, document) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, user_name, policy_name) DO UPDATE SET kind = excluded.kind, document = excluded.document`,
      )
      .run(accountId, userName, policy.policyName, policy.kind, policy.kind === 'inline' ? policy.document : null);
    return Promise.resolve();
  }

  async deleteUserPolicy(accountId: string, userName: string, policyName: string): Promise<boolean> {
    const info = this
      .#statements.get('DELETE FROM user_policies WHERE account_id = ? AND user_name = ? AND policy_name = ?')
      .run(accountId, userName, policyName);
    return Promise.resolve(info.changes > 0);
  }

  async listUserPolicies(accountId: string, userName: string): Promise<AttachedPolicy[]> {
    const rows = this
      .#statements.get('SELECT policy_name, kind, document FROM user_policies WHERE account_id = ? AND user_name = ? ORDER BY policy_name')
      .all(accountId, userName) as { policy_name: string; kind: string; document: string | null }[];
    return Promise.resolve(
      rows.map((row) =>
        row.kind === 'managed'
          ? { kind: 'managed', policyName: row.policy_name }
          : { kind: 'inline', policyName: row.policy_name, document: row.document ?? '' },
      ),
    );
  }
}
