/**
 * Both stores, for the conformance suites (test/conformance/*.suite.ts): each suite runs the same
 * cases against SQLite and PostgreSQL through the same `Stores` bundle the server opens, so what
 * passes here is what `opentrail serve` runs on either.
 *
 *   for (const backend of STORE_BACKENDS) describe.skipIf(!(await backend.available()))(backend.name, () => ...)
 *
 * `open` gives a new, empty store each time (a temporary data directory, or a database of its
 * own); `close` on what it answers also removes it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/config.js';
import type { OpenTrailConfig } from '../../src/config/config.js';
import { openStores } from '../../src/server/open-stores.js';
import type { Stores } from '../../src/server/open-stores.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

/** The stores, and a way for a test to look at rows the ports do not show (SQL both databases read alike, no parameters). */
export interface TestStores extends Stores {
  rawQuery(sql: string): Promise<Record<string, unknown>[]>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Whether the backend's database is there (PostgreSQL is a peer: skipped, or required in CI). */
  available(): Promise<boolean>;
  open(clock?: Clock, config?: Partial<OpenTrailConfig>): Promise<TestStores>;
}

interface OpenedDatabase {
  url: string;
  rawQuery(sql: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

async function openIn(store: (dataDir: string) => Promise<OpenedDatabase>, clock: Clock, overrides: Partial<OpenTrailConfig>): Promise<TestStores> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opentrail-stores-'));
  const database = await store(dataDir);
  const config = { ...loadConfig({ dataDir, store: database.url, masterKey: randomBytes(32).toString('base64') }, {}), ...overrides };
  const stores = await openStores(config, clock, { warn: () => undefined });
  return {
    ...stores,
    rawQuery: async (sql) => database.rawQuery(sql),
    async close() {
      await stores.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function sqliteDatabase(dataDir: string): Promise<OpenedDatabase> {
  const file = join(dataDir, 'opentrail.db');
  let reader: Database.Database | undefined;
  return {
    url: `sqlite:${file}`,
    rawQuery: async (sql) => {
      reader ??= new Database(file, { readonly: true });
      return reader.prepare(sql).all() as Record<string, unknown>[];
    },
    drop: async () => void reader?.close(),
  };
}

async function postgresDatabase(): Promise<OpenedDatabase> {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  return {
    url: db.url,
    rawQuery: async (sql) => {
      // Several statements (a migration) answer one result each: the last one's rows.
      const result = (await pool.query<Record<string, unknown>>(sql)) as pg.QueryResult<Record<string, unknown>> | pg.QueryResult<Record<string, unknown>>[];
      return (Array.isArray(result) ? result.at(-1)!.rows : result.rows).map(numbersOf);
    },
    async drop() {
      await pool.end();
      await db.drop();
    },
  };
}

export const SQLITE_BACKEND: StoreBackend = {
  name: 'sqlite',
  available: async () => true,
  open: async (clock = systemClock, config = {}) => openIn(sqliteDatabase, clock, config),
};

export const POSTGRES_BACKEND: StoreBackend = {
  name: 'postgres',
  available: postgresAvailable,
  open: async (clock = systemClock, config = {}) => openIn(postgresDatabase, clock, config),
};

export const STORE_BACKENDS: readonly StoreBackend[] = [SQLITE_BACKEND, POSTGRES_BACKEND];

/** PostgreSQL answers counts and sums as text (bigint, numeric); SQLite as numbers. */
function numbersOf(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]));
}
