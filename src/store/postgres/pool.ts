/**
 * The connection pool every PostgreSQL adapter shares, and the two things they all need from it:
 * a transaction that always ends, and telling a constraint violation from any other failure.
 */
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';

/**
 * BIGINT columns (positions, epoch-ms times, counts) read as numbers, as SQLite's adapters give
 * them: every value they hold is far below 2^53.
 */
const INT8_OID = 20;
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : (pg.types.getTypeParser(oid, format) as unknown))) as typeof pg.types.getTypeParser,
};

export function openPool(url: string, max: number): Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: TYPES });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

/** SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505';
}

/** SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23503';
}
