import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { eventStoreSuite } from '../../../test/conformance/event-store.suite.js';
import { openSqliteDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreSuite('sqlite', {
  async open(options) {
    const db = openSqliteDatabase(join(dir, `store-${++n}.db`));
    const store = new SqliteEventStore(db, options);
    return Promise.resolve({
      append: async (events) => store.append(events),
      hasCapacity: (events) => store.hasCapacity(events),
      lookup: async (query) => store.lookup(query),
      volume: async (query, periodMs) => store.volume(query, periodMs),
      lastSeq: async () => store.lastSeq(),
      onAppended: (listener) => store.onAppended(listener),
      readRange: async (...args) => store.readRange(...args),
      readAfter: async (...args) => store.readAfter(...args),
      purgeBefore: async (cutoff) => store.purgeBefore(cutoff),
      close: async () => {
        await store.close();
        db.close();
      },
    });
  },
});
