/** What nodes coordinate through: leases (which node runs each kind of work, ../../lease-store.ts) and the master key check (../cluster.ts). */
export const LEASES_SCHEMA: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS master_key_check (id INTEGER PRIMARY KEY CHECK (id = 1), sealed TEXT NOT NULL)',
];
