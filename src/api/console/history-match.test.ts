/**
 * The live tail's in-memory filter against the store's lookup, on the real samples: for filters
 * built from the samples' own values, both must pick the same events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupKeysOf } from '../../core/lookup-keys.js';
import { prepareEvent } from '../../core/prepare-event.js';
import type { CloudTrailRecord } from '../../core/record.js';
import type { LookupAttribute } from '../../store/event-store.js';
import { openSqliteDatabase } from '../../store/sqlite/database.js';
import { SqliteEventStore } from '../../store/sqlite/event-store.js';
import { sampleFiles, samplesAvailable, sampleText } from '../../../test/support/samples.js';
import { matchesHistoryFilter } from './history-match.js';

describe.skipIf(!samplesAvailable())('live tail filter', () => {
  it('matches exactly the events the store looks up, for one and two attributes', async () => {
    const records = sampleFiles().flatMap((file) => {
      const parsed = JSON.parse(sampleText(file)) as { Records?: CloudTrailRecord[] } | CloudTrailRecord[];
      return (Array.isArray(parsed) ? parsed : (parsed.Records ?? [])).slice(0, 400);
    });
    const dir = mkdtempSync(join(tmpdir(), 'tail-match-'));
    const db = openSqliteDatabase(join(dir, 'events.db'));
    const store = new SqliteEventStore(db, {});
    try {
      const prepared = records.map((r) => prepareEvent('111122223333', 'us-east-1', r));
      await store.append(prepared);
      const filters: LookupAttribute[][] = [];
      for (const [i, record] of records.entries()) {
        if (i % 37 !== 0) continue;
        const keys = lookupKeysOf(record);
        if (keys.eventName !== null) filters.push([{ key: 'EventName', value: keys.eventName }]);
        if (keys.username !== null && keys.eventSource !== null) filters.push([{ key: 'Username', value: keys.username }, { key: 'EventSource', value: keys.eventSource }]);
        const resource = keys.resources[0];
        if (resource?.name != null) filters.push([{ key: 'ResourceName', value: resource.name }, { key: 'ReadOnly', value: keys.readOnly ?? 'false' }]);
      }
      expect(filters.length).toBeGreaterThan(20);
      const stored = (await store.readAfter(0, 100_000)).map((e) => ({ seq: e.seq, keys: lookupKeysOf(JSON.parse(e.json) as CloudTrailRecord) }));
      for (const attributes of filters) {
        const looked = await store.lookup({ accountId: '111122223333', region: 'us-east-1', attributes, startMs: 0, endMs: Number.MAX_SAFE_INTEGER, insights: false, limit: 100_000 });
        const byLookup = new Set(looked.map((r) => r.seq));
        const byMatch = new Set(stored.filter((e) => matchesHistoryFilter(e.keys, { attributes, insights: false })).map((e) => e.seq));
        expect([...byMatch].sort(), JSON.stringify(attributes)).toEqual([...byLookup].sort());
      }
    } finally {
      await store.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
