/**
 * Prepared statements by SQL text, prepared once per connection: the stores run the same few
 * statements on every request, and preparing them each time showed in profiles.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

export class StatementCache {
  readonly #db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** The statement for this SQL. Modes like pluck() or raw() stick to it, so give each use its own SQL. */
  get(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
