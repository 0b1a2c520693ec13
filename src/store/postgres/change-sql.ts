/**
 * Running a staged change's SQL on PostgreSQL: what a failure means for the call (a
 * ConflictReason), as sqlite/change-sql.ts does for SQLite. Each append's changes run in a
 * savepoint of their own (event-store.ts), so a violation here aborts only that append.
 * A statement that may violate a constraint as part of normal work must say so in SQL
 * (ON CONFLICT ...), never by catching the error and going on: after an error PostgreSQL
 * refuses every further statement until the savepoint is rolled back.
 */
import type { PoolClient } from 'pg';
import { ChangeConflict } from '../change-conflict.js';
import { isForeignKeyViolation, isUniqueViolation } from './pool.js';

export { ChangeConflict } from '../change-conflict.js';

/** An UPDATE or DELETE that must find its row. */
export async function changed(client: PoolClient, text: string, values: unknown[]): Promise<void> {
  const result = await client.query(text, values);
  if (result.rowCount === 0) throw new ChangeConflict('missing');
}

/** An INSERT whose key must be free; a missing parent row (foreign key) means it is gone. */
export async function inserted(client: PoolClient, text: string, values: unknown[]): Promise<void> {
  try {
    await client.query(text, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ChangeConflict('exists');
    if (isForeignKeyViolation(error)) throw new ChangeConflict('missing');
    throw error;
  }
}

/** A DELETE of a row others may still refer to (foreign keys): IAM's DeleteConflict. */
export async function deleted(client: PoolClient, text: string, values: unknown[]): Promise<void> {
  try {
    await changed(client, text, values);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new ChangeConflict('inUse');
    throw error;
  }
}
