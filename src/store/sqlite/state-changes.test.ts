/** Staged state changes commit with the record of their call, or not at all (writer thread, savepoints). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../test/conformance/event-store.suite.js';
import type { Trail } from '../trail-store.js';
import { StateConflictError } from '../state-change.js';
import type { SqliteDatabase } from './database.js';
import { openSqliteDatabase } from './database.js';
import { SqliteDeliveryCursorStore } from './delivery-cursor-store.js';
import { SqliteEventStore } from './event-store.js';
import { SqliteTrailStore } from './trail-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let db: SqliteDatabase;
let events: SqliteEventStore;
let trails: SqliteTrailStore;
let cursors: SqliteDeliveryCursorStore;

beforeEach(() => {
  db = openSqliteDatabase(join(dir, `changes-${++n}.db`));
  events = new SqliteEventStore(db);
  trails = new SqliteTrailStore(db);
  cursors = new SqliteDeliveryCursorStore(db);
});

afterEach(async () => {
  await events.close();
  db.close();
});

function trail(name: string): Trail {
  return {
    trailArn: `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`,
    accountId: '111122223333',
    homeRegion: 'us-east-1',
    name,
    config: { S3BucketName: 'b', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false },
    tags: [],
    isLogging: false,
    status: {},
    createdAt: 0,
  };
}

describe('state changes in the event log commit', () => {
  it('are visible once their record is appended', async () => {
    await events.append([event(1)], [{ kind: 'createTrail', trail: trail('one') }]);
    expect((await trails.get(trail('one').trailArn))?.name).toBe('one');
  });

  it('roll back with their record on a conflict, and leave other appends of the same commit alone', async () => {
    await events.append([event(1)], [{ kind: 'createTrail', trail: trail('one') }]);
    const before = await events.lastSeq();
    const duplicate = { kind: 'createTrail' as const, trail: trail('one') };
    // Both are posted in the same turn, so the writer commits them in one transaction.
    const [conflicting, fine] = await Promise.allSettled([
      events.append([event(2)], [{ kind: 'createTrail', trail: trail('two') }, duplicate]),
      events.append([event(3)], [{ kind: 'createTrail', trail: trail('three') }]),
    ]);
    expect(conflicting.status).toBe('rejected');
    const error = (conflicting as PromiseRejectedResult).reason as StateConflictError;
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error.reason).toBe('exists');
    expect(error.change).toBe(duplicate);
    expect(fine.status).toBe('fulfilled');
    expect(await trails.get(trail('two').trailArn)).toBeUndefined();
    expect(await trails.get(trail('three').trailArn)).toBeDefined();
    // Only the other append's record was stored.
    expect((await events.readRange('111122223333', before, undefined, 10)).map((e) => (JSON.parse(e.json) as { requestID: string }).requestID)).toEqual(['req-3']);
  });

  it('report a change to something gone as missing', async () => {
    const change = { kind: 'setTrailTags' as const, trailArn: trail('gone').trailArn, tags: [] };
    await expect(events.append([event(1)], [change])).rejects.toMatchObject({ reason: 'missing', change });
    expect(await events.lastSeq()).toBe(0);
  });

  it('place the logging positions at the call record: StopLogging delivers itself, StartLogging resumes with itself', async () => {
    const arn = trail('t').trailArn;
    await events.append([event(1)], [{ kind: 'createTrail', trail: trail('t') }]);
    const started = await events.append([event(2)], [{ kind: 'startLogging', trailArn: arn, timeMs: 5 }]);
    expect((await cursors.cursor(arn))?.resumeSeq).toBe(started.events[0]!.seq - 1);
    await cursors.skipGap(arn);
    const stopped = await events.append([event(3)], [{ kind: 'stopLogging', trailArn: arn, timeMs: 6 }]);
    expect((await cursors.cursor(arn))?.untilSeq).toBe(stopped.events[0]!.seq);
    expect(await trails.get(arn)).toMatchObject({ isLogging: false, stopLoggingTime: 6, startLoggingTime: 5 });
  });
});
