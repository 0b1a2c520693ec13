/**
 * Every store method that returns a promise reports a database failure as a rejection, never
 * as a synchronous throw: callers write `await store.x().catch(...)`, and a synchronous throw
 * escapes that `.catch` (the digest worker then skipped the remaining trails of its pass).
 * Each store is given a database that has been closed, so every statement fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';
import { SqliteChannelStore } from './channel-store.js';
import { SqliteDeliveryCursorStore } from './delivery-cursor-store.js';
import { SqliteDigestChainStore } from './digest-chain-store.js';
import { SqliteIdentityStore } from './identity-store.js';
import { SqliteMerkleLedger } from './merkle-ledger.js';
import { SqliteSigningKeyStore } from './signing-key-store.js';
import { SqliteTrailStore } from './trail-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-async-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores = {
  SqliteTrailStore,
  SqliteDeliveryCursorStore,
  SqliteMerkleLedger,
  SqliteDigestChainStore,
  SqliteChannelStore,
  SqliteIdentityStore,
  SqliteSigningKeyStore,
};

/** Arguments that get every method as far as its SQL: strings, numbers, plain objects. */
const ARGS = ['arn:aws:cloudtrail:us-east-1:111122223333:trail/t', 'us-east-1', 1, 1, { files: [], trees: [] }, false];

describe('SQLite store methods on a failing database', () => {
  for (const [name, Store] of Object.entries(stores)) {
    it(`${name}: every method rejects instead of throwing`, async () => {
      const db = openSqliteDatabase(join(dir, `${name}.db`));
      const store = new Store(db) as unknown as Record<string, (...args: unknown[]) => unknown>;
      db.close();
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store)).filter((m) => m !== 'constructor' && typeof store[m] === 'function');
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        let result: unknown;
        expect(() => (result = store[method]!(...ARGS)), `${name}.${method} threw synchronously`).not.toThrow();
        if (result instanceof Promise) await expect(result, `${name}.${method}`).rejects.toBeInstanceOf(Error);
      }
    });
  }
});
