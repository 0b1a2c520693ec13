/**
 * Opens the SQLite database behind the embedded stores: WAL for concurrent readers (the CLI
 * may read while the server writes) and synchronous=FULL so every commit is fsynced: an
 * acknowledged event survives power loss, not just a process crash.
 *
 * The database holds every account's history, so it is private to its owner (0600): SQLite
 * would create it 0644 under the usual umask, so it is created empty with 0600 first. SQLite
 * gives the -wal and -shm files the database file's mode when it creates them; ones left
 * looser by an earlier version are tightened here.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFile, PRIVATE_DIR_MODE, tightenFile } from '../../fs/private-files.js';
import { migrations } from './schema.js';

export type SqliteDatabase = Database.Database;

export interface SqliteOpenOptions {
  /**
   * The page cache, MB. Each connection has its own: the writer's holds the hot index pages it
   * inserts into, a reader's the pages of recent lookups. Together they are most of the store's
   * memory, so they are bounded here (the server's peak RSS is in docs/benchmarks.md).
   */
  cacheMb?: number;
}

/** A reader connection's page cache; the writer thread asks for WRITER_CACHE_MB. */
const READER_CACHE_MB = 16;
export const WRITER_CACHE_MB = 32;

export function openSqliteDatabase(file: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const companion of [`${file}-wal`, `${file}-shm`]) tightenFile(companion);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (the opentrail CLI) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  // Index pages of a large log do not fit the 2 MB default cache; misses dominate inserts.
  db.pragma(`cache_size = -${(options.cacheMb ?? READER_CACHE_MB) * 1024}`);
  // A checkpoint copies each page changed since the last one into the database file and fsyncs
  // it. Every 1,000 pages (the default) the writer checkpointed after nearly every index chunk;
  // every 16,000 (64 MB of WAL) a page changed by many commits is copied once for all of them.
  db.pragma('wal_autocheckpoint = 16000');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      applyMigration(db, migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/** One migration: SQL, or code for what SQL cannot do (indexing records by today's rules). */
export function applyMigration(db: SqliteDatabase, migration: (typeof migrations)[number]): void {
  if (typeof migration === 'string') db.exec(migration);
  else migration(db);
}
