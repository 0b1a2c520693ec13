/**
 * Accounts, IAM users, keys, roles, groups, policies, sessions and organizations, on PostgreSQL: the same tables and columns as SQLite's (sqlite/schema.ts, in its final
 * state), so that `opentrail migrate-store` copies a table across by its column names.
 * Append a migration; never edit one that has shipped.
 */
export const IDENTITY_SCHEMA: readonly string[] = [];
