/**
 * Migrations on a database that already holds events: what an upgrade meets in the field.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';
import { migrations } from './schema.js';
import { buildLookupSql } from './lookup-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';

function record(id: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ eventVersion: '1.08', eventTime: '2026-11-24T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'PutObject', awsRegion: 'us-east-1', eventID: id, ...fields });
}

describe('the data-event migration', () => {
  it('takes data events stored before it out of the event history', () => {
    const file = join(dir, 'old.db');
    // A database as the version before this migration left it (the first three migrations).
    const old = new Database(file);
    for (const [version, sql] of migrations.slice(0, 3).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const insert = old.prepare(
      `INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, record) VALUES (?, 'us-east-1', ?, 0, ?, 'PutObject', ?)`,
    );
    const t = Date.UTC(2026, 10, 24, 10);
    insert.run(ACCOUNT, t, 'data', record('data', { eventCategory: 'Data', managementEvent: false }));
    insert.run(ACCOUNT, t, 'old-data', record('old-data', { managementEvent: false }));
    insert.run(ACCOUNT, t, 'mgmt', record('mgmt', { eventCategory: 'Management', managementEvent: true }));
    insert.run(ACCOUNT, t, 'v105', record('v105', {}));
    old.close();

    const db = openSqliteDatabase(file);
    const { sql, params } = buildLookupSql({ accountId: ACCOUNT, region: 'us-east-1', attributes: [], startMs: 0, endMs: t + 1, insights: false, limit: 10 });
    const ids = (db.prepare(sql).all(...params) as { record: string }[]).map((r) => (JSON.parse(r.record) as { eventID: string }).eventID);
    expect(ids.sort()).toEqual(['mgmt', 'v105']);
    // Still in the log, and bound for trails.
    expect(db.prepare('SELECT COUNT(*) FROM events WHERE to_trails = 1').pluck().get()).toBe(4);
    db.close();
  });
});
