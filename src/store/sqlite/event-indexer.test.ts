/**
 * The lookup index behind the log: what a lookup answers does not depend on how far the indexer
 * has come (the unindexed tail is scanned), across the boundary too, and a log whose index was
 * lost or never built (an older version's) is indexed when the writer starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditRecord } from '../../core/audit-event.js';
import type { LookupQuery, PreparedEvent, StoredEvent } from '../event-store.js';
import type { SqliteDatabase } from './database.js';
import { openSqliteDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-indexer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const BASE = Date.UTC(2026, 10, 30, 12);

function events(from: number, count: number): PreparedEvent[] {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    const data = { version: '1', userIdentity: { type: 'U', principalId: `user-${i % 7}` }, eventSource: 'app.example.com', eventName: `Op${i % 3}`, eventTime: new Date(BASE + (i % 50) * 1000).toISOString(), UID: `u-${i}` };
    const facts = { eventId: `id-${i}`, eventTimeMs: BASE + (i % 50) * 1000, region: REGION, accountId: ACCOUNT, channelArn: 'arn:c', ingestionTime: new Date(BASE).toISOString() };
    return { accountId: ACCOUNT, region: REGION, ...auditRecord(facts, JSON.stringify(data), data), idempotent: true };
  });
}

function query(attributes: LookupQuery['attributes'], limit = 1000): LookupQuery {
  return { accountId: ACCOUNT, region: REGION, attributes, startMs: BASE - 1, endMs: BASE + 60_000, insights: false, limit };
}

const SHAPES: LookupQuery['attributes'][] = [[], [{ key: 'Username', value: 'user-3' }], [{ key: 'EventName', value: 'Op1' }, { key: 'Username', value: 'user-2' }], [{ key: 'EventId', value: 'id-17' }]];

async function indexed(db: SqliteDatabase, store: SqliteEventStore): Promise<void> {
  const last = await store.lastSeq();
  for (let i = 0; i < 500; i++) {
    if ((db.prepare('SELECT last_seq FROM event_index_head').pluck().get() as number) >= last) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the index did not catch up');
}

/** Every page of a query, newest first, 7 at a time. */
async function allPages(store: SqliteEventStore, attributes: LookupQuery['attributes']): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  for (;;) {
    const last = found.at(-1);
    const page = await store.lookup({ ...query(attributes, 7), ...(last && { after: { timeMs: last.timeMs, seq: last.seq } }) });
    found.push(...page);
    if (page.length < 7) return found;
  }
}

describe('the SQLite lookup index behind the log', () => {
  it('answers the same before and after the indexer reaches the events, and pages across its head', async () => {
    const db = openSqliteDatabase(join(dir, 'same.db'));
    const store = new SqliteEventStore(db);
    await store.append(events(0, 300));
    await indexed(db, store);
    // These are in the tail when read at once (the indexer waits for a pause or a chunk).
    await store.append(events(300, 40));
    const early = await Promise.all(SHAPES.map(async (shape) => store.lookup(query(shape))));
    const earlyPages = await allPages(store, [{ key: 'Username', value: 'user-3' }]);
    const earlyVolume = await store.volume(query([]), 10_000);
    await indexed(db, store);
    expect(await Promise.all(SHAPES.map(async (shape) => store.lookup(query(shape))))).toEqual(early);
    expect(await allPages(store, [{ key: 'Username', value: 'user-3' }])).toEqual(earlyPages);
    expect(await store.volume(query([]), 10_000)).toEqual(earlyVolume);
    expect(earlyVolume.reduce((sum, b) => sum + b.count, 0)).toBe(340);
    expect(earlyPages).toHaveLength(49); // i % 7 === 3 for i in [0, 340)
    expect(new Set(earlyPages.map((e) => e.seq)).size).toBe(earlyPages.length);
    expect(early[3]!.map((e) => (JSON.parse(e.json) as { eventID: string }).eventID)).toEqual(['id-17']);
    await store.close();
    db.close();
  });

  it('finds a retried event as a duplicate whether it is indexed or not', async () => {
    const db = openSqliteDatabase(join(dir, 'retry.db'));
    const store = new SqliteEventStore(db);
    const first = await store.append(events(0, 20));
    await indexed(db, store);
    const second = await store.append(events(20, 5));
    const retried = await store.append([...events(0, 2), ...events(20, 2)]);
    expect(retried.events).toEqual([
      { seq: first.events[0]!.seq, eventId: 'id-0', duplicate: true },
      { seq: first.events[1]!.seq, eventId: 'id-1', duplicate: true },
      { seq: second.events[0]!.seq, eventId: 'id-20', duplicate: true },
      { seq: second.events[1]!.seq, eventId: 'id-21', duplicate: true },
    ]);
    expect(await store.lastSeq()).toBe(second.events.at(-1)!.seq);
    await store.close();
    db.close();
  });

  it('indexes a log whose index is behind when the writer starts', async () => {
    const file = join(dir, 'behind.db');
    let db = openSqliteDatabase(file);
    let store = new SqliteEventStore(db);
    await store.append(events(0, 120));
    await indexed(db, store);
    const before = await Promise.all(SHAPES.map(async (shape) => store.lookup(query(shape))));
    await store.close();
    // As a log of an older version finds it: no entries, the head at the start.
    db.exec('DELETE FROM event_keys; UPDATE event_index_head SET last_seq = 0');
    db.close();
    db = openSqliteDatabase(file);
    store = new SqliteEventStore(db);
    await indexed(db, store);
    expect(db.prepare('SELECT count(*) FROM event_keys').pluck().get()).toBeGreaterThan(0);
    expect(await Promise.all(SHAPES.map(async (shape) => store.lookup(query(shape))))).toEqual(before);
    await store.close();
    db.close();
  });
});
