/**
 * The identity port: accounts (tenants), their users, access keys and attached policies.
 * Secrets cross this port only sealed (see SecretBox); the store never sees plaintext.
 */
export interface Account {
  accountId: string;
  name: string;
  createdAt: number;
}

export interface User {
  accountId: string;
  userName: string;
  principalId: string;
  createdAt: number;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface StoredAccessKey {
  accessKeyId: string;
  accountId: string;
  userName: string;
  secretSealed: string;
  status: AccessKeyStatus;
  createdAt: number;
}

export type AttachedPolicy =
  | { kind: 'managed'; policyName: string }
  | { kind: 'inline'; policyName: string; document: string };

export interface IdentityStore {
  /** Rejects with AlreadyExistsError when the id is taken. */
  createAccount(account: Account): Promise<void>;
  getAccount(accountId: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  /** Rejects with AlreadyExistsError when the account has a user of that name. */
  createUser(user: User): Promise<void>;
  getUser(accountId: string, userName: string): Promise<User | undefined>;
  listUsers(accountId: string): Promise<User[]>;
  createAccessKey(key: StoredAccessKey): Promise<void>;
  findAccessKey(accessKeyId: string): Promise<StoredAccessKey | undefined>;
  listAccessKeys(accountId: string): Promise<StoredAccessKey[]>;
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<boolean>;
  /** Attaches or replaces the policy of that name. */
  putUserPolicy(accountId: string, userName: string, policy: AttachedPolicy): Promise<void>;
  deleteUserPolicy(accountId: string, userName: string, policyName: string): Promise<boolean>;
  listUserPolicies(accountId: string, userName: string): Promise<AttachedPolicy[]>;
}

export class AlreadyExistsError extends Error {
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'AlreadyExistsError';
  }
}
