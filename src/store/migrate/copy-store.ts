/**
 * Copies an embedded SQLite store into an empty PostgreSQL one, table by table and column by
 * column (the two schemas hold the same tables, see test/conformance/schema-parity.test.ts), then
 * reads both back and compares each table's row count and hash. The SQLite file is opened read
 * only; the target must be empty, so a copy is never merged into data already there.
 */
import Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { EventPartitions } from '../postgres/event-partitions.js';
import { inTransaction } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import { postgresDigest, sqliteDigest } from './table-hash.js';
import type { TableDigest } from './table-hash.js';
import { tablesToCopy } from './tables.js';
import type { TableToCopy } from './tables.js';

export class TargetNotEmptyError extends Error {}

export interface TableReport {
  table: string;
  source: TableDigest;
  target: TableDigest;
}

const BATCH = 1000;
const DAY_MS = 86_400_000;

export function openSource(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

async function refuseNonEmpty(pool: Pool, tables: readonly TableToCopy[]): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) {
    if ((await pool.query(`SELECT 1 FROM "${table.name}" LIMIT 1`)).rowCount !== 0) holding.push(table.name);
  }
  if (holding.length > 0) throw new TargetNotEmptyError(`the target database holds data already (${holding.join(', ')}); migrate into an empty database`);
}

async function copyTable(db: Database.Database, client: PoolClient, table: TableToCopy): Promise<void> {
  const columns = table.columns.map((c) => `"${c}"`).join(', ');
  const insert = `INSERT INTO "${table.name}" (${columns}) OVERRIDING SYSTEM VALUE SELECT * FROM unnest(${table.targetTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  const rows = db.prepare(`SELECT ${columns} FROM "${table.name}"`).raw();
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const byColumn = table.columns.map((_, i) => batch.map((row) => row[i]));
    await client.query(insert, byColumn);
    batch = [];
  };
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length === BATCH) await flush();
  }
  await flush();
}

/** What the copied rows imply beyond themselves: the log head, and where generated ids go on. */
async function settleCounters(client: PoolClient, tables: readonly TableToCopy[]): Promise<void> {
  await client.query('UPDATE log_head SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM events) WHERE id = 1');
  const generated = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'",
  );
  const copied = new Set(tables.map((t) => t.name));
  for (const { table_name: table, column_name: column } of generated.rows) {
    if (!copied.has(table)) continue;
    await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', '${column}'), GREATEST((SELECT MAX("${column}") FROM "${table}"), 1), (SELECT MAX("${column}") FROM "${table}") IS NOT NULL)`);
  }
}

/** The event tables' day partitions for every day the source's events fall on. */
async function makeEventPartitions(db: Database.Database, pool: Pool): Promise<void> {
  const days = db.prepare(`SELECT DISTINCT (event_time / ${DAY_MS}) * ${DAY_MS} FROM events`).pluck().all() as number[];
  await new EventPartitions(pool).ensure(days);
}

export async function copyStore(db: Database.Database, pool: Pool, progress: (table: string) => void = () => undefined): Promise<TableReport[]> {
  await applySchema(pool);
  const tables = await tablesToCopy(db, pool);
  await refuseNonEmpty(pool, tables);
  await makeEventPartitions(db, pool);
  // One transaction for every table: a failure leaves an empty target to try again, never a half copy.
  await inTransaction(pool, async (client) => {
    for (const table of tables) {
      progress(table.name);
      await copyTable(db, client, table);
    }
    await settleCounters(client, tables);
  });
  return verifyStore(db, pool, tables);
}

/** Reads both back and compares each table's count and hash. */
export async function verifyStore(db: Database.Database, pool: Pool, tables?: readonly TableToCopy[]): Promise<TableReport[]> {
  const which = tables ?? (await tablesToCopy(db, pool));
  const reports: TableReport[] = [];
  for (const table of which) reports.push({ table: table.name, source: sqliteDigest(db, table), target: await postgresDigest(pool, table) });
  return reports;
}

export function mismatches(reports: readonly TableReport[]): TableReport[] {
  return reports.filter((r) => r.source.rows !== r.target.rows || r.source.sha256 !== r.target.sha256);
}

