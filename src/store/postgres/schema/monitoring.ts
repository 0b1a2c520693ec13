/**
 * Hosted CloudWatch Logs, metric filters, metrics, alarms, trail forwarding's cursors and the Insights detector's state, on PostgreSQL: the same tables and columns as SQLite's (sqlite/schema.ts, in its final
 * state), so that `opentrail migrate-store` copies a table across by its column names.
 * Append a migration; never edit one that has shipped.
 */
export const MONITORING_SCHEMA: readonly string[] = [];
