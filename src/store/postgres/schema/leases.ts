/** Leases: which node runs each kind of work (../lease-store.ts). */
export const LEASES_SCHEMA: readonly string[] = ['CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)'];
