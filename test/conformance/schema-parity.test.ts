/**
 * The two stores hold the same tables with the same columns: `opentrail migrate-store` copies
 * SQLite to PostgreSQL table by table and column by column, and an adapter written against one
 * schema must find its data in the other. Only what coordinates nodes exists on PostgreSQL alone,
 * and only SQLite's own lookup index (kept behind its log) on SQLite alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPool } from '../../src/store/postgres/pool.js';
import { applySchema } from '../../src/store/postgres/schema.js';
import { SQLITE_ONLY_TABLES } from '../../src/store/migrate/tables.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';

/** Coordination between nodes: the log head's lock, schema versions, leases, the master key check. */
const POSTGRES_ONLY = ['leases', 'log_head', 'master_key_check', 'schema_parts'];

const available = await postgresAvailable();
const dir = mkdtempSync(join(tmpdir(), 'opentrail-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sqliteColumns(): Map<string, string[]> {
  const db = openSqliteDatabase(join(dir, 'parity.db'));
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return new Map(tables.map((table) => [table, (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).sort()]));
  } finally {
    db.close();
  }
}

async function postgresColumns(): Promise<Map<string, string[]>> {
  const database = await createTestDatabase();
  const pool = openPool(database.url, 1);
  try {
    await applySchema(pool);
    const rows = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN pg_class k ON k.relname = c.table_name AND k.relkind IN ('r', 'p') AND NOT k.relispartition
        WHERE c.table_schema = 'public' ORDER BY 1, 2`,
    );
    const tables = new Map<string, string[]>();
    for (const row of rows.rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
    return tables;
  } finally {
    await pool.end();
    await database.drop();
  }
}

describe.skipIf(!available)('schema parity of SQLite and PostgreSQL', () => {
  it('has every SQLite table on PostgreSQL with the same columns, and nothing else but coordination and the SQLite index', async () => {
    const sqlite = sqliteColumns();
    const postgres = await postgresColumns();
    expect([...postgres.keys()].filter((t) => !sqlite.has(t)).sort()).toEqual(POSTGRES_ONLY);
    expect([...sqlite.keys()].filter((t) => !postgres.has(t))).toEqual(SQLITE_ONLY_TABLES);
    for (const [table, columns] of sqlite) if (!SQLITE_ONLY_TABLES.includes(table)) expect({ table, columns: postgres.get(table) }).toEqual({ table, columns });
  });
});
