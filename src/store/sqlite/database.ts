/**
 * Opens the SQLite database behind the embedded stores: WAL for concurrent readers (the CLI
 * may read while the server writes) and synchronous=FULL so every commit is fsynced: an
 * acknowledged event survives power loss, not just a process crash.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './schema.js';

export type SqliteDatabase = Database.Database;

export function openSqliteDatabase(file: string): SqliteDatabase {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (the opentrail CLI) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  // Index pages of a large log do not fit the 2 MB default cache; misses dominate inserts.
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
