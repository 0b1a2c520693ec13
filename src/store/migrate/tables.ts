/**
 * What migrate-store copies: SQLite's tables in an order where every table comes after those its
 * foreign keys point at, each with its columns and the columns that order its rows (the primary
 * key, or every column where there is none), and the PostgreSQL type of each column.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

export interface TableToCopy {
  name: string;
  columns: string[];
  /** The row order both databases agree on (text compared byte by byte). */
  orderBy: string[];
  /** PostgreSQL's type name of each column (udt_name: int8, text, bytea, float8, int4). */
  targetTypes: string[];
}

export class SchemaMismatchError extends Error {}

/**
 * The SQLite store's own lookup index (store/sqlite/lookup-index.ts) and its cursor: derived from
 * the events, which PostgreSQL indexes in its own way. Not copied.
 */
export const SQLITE_ONLY_TABLES: readonly string[] = ['event_index_head', 'event_keys', 'event_partitions'];

function sqliteTables(db: Database.Database): string[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return tables.filter((name) => !SQLITE_ONLY_TABLES.includes(name));
}

/** Parents before children (foreign keys); otherwise by name. */
function inDependencyOrder(db: Database.Database, tables: string[]): string[] {
  const parents = new Map(tables.map((t) => [t, (db.prepare(`PRAGMA foreign_key_list(${t})`).all() as { table: string }[]).map((fk) => fk.table).filter((p) => p !== t)]));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (table: string, path: Set<string>) => {
    if (placed.has(table)) return;
    if (path.has(table)) throw new SchemaMismatchError(`foreign keys form a cycle through ${table}`);
    path.add(table);
    for (const parent of parents.get(table) ?? []) place(parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table, new Set());
  return ordered;
}

/** The tables to copy, after checking that PostgreSQL has each with every column; a mismatch names what is missing. */
export async function tablesToCopy(db: Database.Database, pool: Pool): Promise<TableToCopy[]> {
  const target = await pool.query<{ table_name: string; column_name: string; udt_name: string }>(
    "SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const targetColumns = new Map<string, Map<string, string>>();
  for (const row of target.rows) {
    const columns = targetColumns.get(row.table_name) ?? new Map<string, string>();
    columns.set(row.column_name, row.udt_name);
    targetColumns.set(row.table_name, columns);
  }
  const problems: string[] = [];
  const tables: TableToCopy[] = [];
  for (const name of inDependencyOrder(db, sqliteTables(db))) {
    const info = db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; pk: number }[];
    const columns = info.map((c) => c.name);
    const on = targetColumns.get(name);
    if (on === undefined) {
      problems.push(`table ${name} is missing on the target`);
      continue;
    }
    const missing = columns.filter((c) => !on.has(c));
    if (missing.length > 0) problems.push(`table ${name} lacks column(s) ${missing.join(', ')} on the target`);
    const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    tables.push({ name, columns, orderBy: keys.length > 0 ? keys : columns, targetTypes: columns.map((c) => on.get(c) ?? 'text') });
  }
  if (problems.length > 0) throw new SchemaMismatchError(`the target's schema does not match this OpenTrail's SQLite store: ${problems.join('; ')}`);
  return tables;
}
