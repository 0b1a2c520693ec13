/**
 * Counts and hashes of a table's rows, read back from either database: SHA-256 over the rows in
 * the same order, each value written the same way whichever database it came from (numbers in
 * decimal, NULL apart from any text, bytes in hex), so equal hashes mean equal tables.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { TableToCopy } from './tables.js';

export interface TableDigest {
  rows: number;
  sha256: string;
}

const BATCH = 2000;

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '\u0000';
  if (Buffer.isBuffer(value)) return `x${value.toString('hex')}`;
  if (typeof value === 'bigint' || typeof value === 'number') return `n${String(value)}`;
  return `s${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

class RowHasher {
  readonly #hash = createHash('sha256');
  rows = 0;

  add(values: readonly unknown[]): void {
    this.#hash.update(JSON.stringify(values.map(valueText)));
    this.#hash.update('\n');
    this.rows++;
  }

  digest(): TableDigest {
    return { rows: this.rows, sha256: this.#hash.digest('hex') };
  }
}

/**
 * The same order in both: SQLite compares text byte by byte (BINARY), as PostgreSQL does under
 * COLLATE "C", and sorts NULL first, which PostgreSQL does only when asked.
 */
function orderSql(table: TableToCopy, dialect: 'sqlite' | 'postgres'): string {
  if (dialect === 'sqlite') return table.orderBy.map((c) => `"${c}"`).join(', ');
  return table.orderBy.map((c) => `"${c}"${table.targetTypes[table.columns.indexOf(c)] === 'text' ? ' COLLATE "C"' : ''} NULLS FIRST`).join(', ');
}

export function sqliteDigest(db: Database.Database, table: TableToCopy): TableDigest {
  const hasher = new RowHasher();
  const statement = db.prepare(`SELECT ${table.columns.map((c) => `"${c}"`).join(', ')} FROM "${table.name}" ORDER BY ${orderSql(table, 'sqlite')}`).raw();
  for (const row of statement.iterate() as Iterable<unknown[]>) hasher.add(row);
  return hasher.digest();
}

/** Read through a cursor, a batch at a time: the events table may hold millions of rows. */
export async function postgresDigest(pool: Pool, table: TableToCopy): Promise<TableDigest> {
  const hasher = new RowHasher();
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE rows NO SCROLL CURSOR FOR SELECT ${table.columns.map((c) => `"${c}"`).join(', ')} FROM "${table.name}" ORDER BY ${orderSql(table, 'postgres')}`);
    for (;;) {
      const batch = await client.query({ text: `FETCH ${BATCH} FROM rows`, rowMode: 'array' });
      for (const row of batch.rows as unknown[][]) hasher.add(row);
      if (batch.rows.length < BATCH) break;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return hasher.digest();
}
