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

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Whether the backend's database is there (PostgreSQL is a peer: skipped, or required in CI). */
  available(): Promise<boolean>;
  open(clock?: Clock, config?: Partial<OpenTrailConfig>): Promise<Stores>;
}

async function openIn(store: (dataDir: string) => Promise<{ url: string; drop?: () => Promise<void> }>, clock: Clock, overrides: Partial<OpenTrailConfig>): Promise<Stores> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opentrail-stores-'));
  const { url, drop } = await store(dataDir);
  const config = { ...loadConfig({ dataDir, store: url, masterKey: randomBytes(32).toString('base64') }, {}), ...overrides };
  const stores = await openStores(config, clock, { warn: () => undefined });
  return {
    ...stores,
    async close() {
      await stores.close();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const SQLITE_BACKEND: StoreBackend = {
  name: 'sqlite',
  available: async () => true,
  open: async (clock = systemClock, config = {}) => openIn(async (dataDir) => ({ url: `sqlite:${join(dataDir, 'opentrail.db')}` }), clock, config),
};

export const POSTGRES_BACKEND: StoreBackend = {
  name: 'postgres',
  available: postgresAvailable,
  open: async (clock = systemClock, config = {}) =>
    openIn(async () => {
      const db = await createTestDatabase();
      return { url: db.url, drop: async () => db.drop() };
    }, clock, config),
};

export const STORE_BACKENDS: readonly StoreBackend[] = [SQLITE_BACKEND, POSTGRES_BACKEND];
