/**
 * Accounts, IAM users, keys, roles, groups, policies, sessions and organizations, on PostgreSQL: the same tables and columns as SQLite's (sqlite/schema.ts, in its final
 * state), so that `opentrail migrate-store` copies a table across by its column names.
 * Append a migration; never edit one that has shipped.
 *
 * SQLite's COLLATE NOCASE unique indexes are unique indexes on lower(name) here: IAM names are
 * unique per account whatever their case, and lookups by name use those indexes.
 */
export const IDENTITY_SCHEMA: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS users (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    user_name TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    path TEXT NOT NULL DEFAULT '/',
    tags TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (account_id, user_name)
  );
  CREATE UNIQUE INDEX IF NOT EXISTS users_by_name ON users (account_id, lower(user_name));
  CREATE TABLE IF NOT EXISTS access_keys (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (account_id, user_name) REFERENCES users (account_id, user_name)
  );
  CREATE INDEX IF NOT EXISTS access_keys_by_user ON access_keys (account_id, lower(user_name));
  CREATE TABLE IF NOT EXISTS access_key_last_used (
    access_key_id TEXT PRIMARY KEY,
    used_at BIGINT NOT NULL,
    service_name TEXT NOT NULL,
    region TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS roles (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    role_name TEXT NOT NULL,
    role_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    trust_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration BIGINT NOT NULL,
    tags TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, role_name)
  );
  CREATE UNIQUE INDEX IF NOT EXISTS roles_by_name ON roles (account_id, lower(role_name));
  CREATE TABLE IF NOT EXISTS iam_groups (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    group_name TEXT NOT NULL,
    group_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, group_name)
  );
  CREATE UNIQUE INDEX IF NOT EXISTS iam_groups_by_name ON iam_groups (account_id, lower(group_name));
  -- Names in the tables below are the principal's stored name (exact case).
  CREATE TABLE IF NOT EXISTS group_members (
    account_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    PRIMARY KEY (account_id, group_name, user_name)
  );
  CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members (account_id, user_name);
  CREATE TABLE IF NOT EXISTS inline_policies (
    account_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (account_id, principal_kind, principal_name, policy_name)
  );
  CREATE UNIQUE INDEX IF NOT EXISTS inline_policies_by_name ON inline_policies (account_id, principal_kind, principal_name, lower(policy_name));
  CREATE TABLE IF NOT EXISTS managed_policies (
    policy_arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    policy_name TEXT NOT NULL,
    policy_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    description TEXT,
    default_version_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_version_number BIGINT NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX IF NOT EXISTS managed_policies_by_name ON managed_policies (account_id, lower(policy_name));
  CREATE TABLE IF NOT EXISTS managed_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES managed_policies (policy_arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
  );
  CREATE TABLE IF NOT EXISTS policy_attachments (
    account_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (account_id, principal_kind, principal_name, policy_arn)
  );
  CREATE INDEX IF NOT EXISTS policy_attachments_by_policy ON policy_attachments (policy_arn, account_id);
  CREATE TABLE IF NOT EXISTS sessions (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    issuer TEXT NOT NULL,
    session_name TEXT,
    mfa_authenticated INTEGER NOT NULL,
    source_identity TEXT,
    issued_with_access_key_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE IF NOT EXISTS organizations (
    org_id TEXT PRIMARY KEY,
    management_account_id TEXT NOT NULL UNIQUE REFERENCES accounts (account_id),
    feature_set TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS organization_accounts (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    joined_at BIGINT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS organization_accounts_by_org ON organization_accounts (org_id, joined_at);
  CREATE TABLE IF NOT EXISTS create_account_requests (
    request_id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    account_name TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    account_id TEXT,
    failure_reason TEXT,
    requested_at BIGINT NOT NULL,
    completed_at BIGINT
  );
  CREATE TABLE IF NOT EXISTS delegated_admins (
    org_id TEXT NOT NULL REFERENCES organizations (org_id),
    account_id TEXT NOT NULL,
    service_principal TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, account_id, service_principal)
  );
  `,
];
