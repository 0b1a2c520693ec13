/** Running a staged change's SQL: what a failure means for the call (a ConflictReason). */
import type { Statement } from 'better-sqlite3';
import { ChangeConflict } from '../change-conflict.js';
import { isUniqueViolation } from './errors.js';

export { ChangeConflict } from '../change-conflict.js';

export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** An UPDATE or DELETE that must find its row. */
export function changed(statement: Statement, ...params: unknown[]): void {
  if (statement.run(...params).changes === 0) throw new ChangeConflict('missing');
}

/** An INSERT whose key must be free; a missing parent row (foreign key) means it is gone. */
export function inserted(statement: Statement, ...params: unknown[]): void {
  try {
    statement.run(...params);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ChangeConflict('exists');
    if (isForeignKeyViolation(error)) throw new ChangeConflict('missing');
    throw error;
  }
}

/** A DELETE of a row others may still refer to (foreign keys): IAM's DeleteConflict. */
export function deleted(statement: Statement, ...params: unknown[]): void {
  try {
    changed(statement, ...params);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new ChangeConflict('inUse');
    throw error;
  }
}
