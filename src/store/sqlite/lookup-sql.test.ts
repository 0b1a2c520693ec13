import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LookupAttribute } from '../event-store.js';
import type { IndexedAttribute } from './lookup-index.js';
import { openSqliteDatabase } from './database.js';
import { lookupKey } from './lookup-index.js';
import { buildLookupSql, buildVolumeSql } from './lookup-sql.js';

const db = openSqliteDatabase(join(mkdtempSync(join(tmpdir(), 'opentrail-plan-')), 'plan.db'));
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

function query(attributes: LookupAttribute[]) {
  return { accountId: ACCOUNT, region: REGION, attributes, startMs: 0, endMs: 1e13, insights: false, maxSeq: 100, after: { timeMs: 1e12, seq: 50 }, limit: 51 };
}

function plan(sql: string, params: (string | number)[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

/** The index part of the plan (before the tail's RIGHT arm), and the tail part. */
function arms(detail: string): { indexed: string; tail: string } {
  const at = detail.indexOf('| RIGHT');
  return { indexed: detail.slice(0, at), tail: detail.slice(at) };
}

describe('buildLookupSql', () => {
  it.each([
    [[{ key: 'Username', value: 'alice' }], { key: 'Username', value: 'alice' }],
    [[{ key: 'AccessKeyId', value: 'AKIA' }, { key: 'EventName', value: 'X' }], { key: 'AccessKeyId', value: 'AKIA' }],
    [[{ key: 'ReadOnly', value: 'true' }, { key: 'EventSource', value: 's3.amazonaws.com' }, { key: 'Username', value: 'alice' }], { key: 'Username', value: 'alice' }],
    [[{ key: 'EventName', value: 'X' }, { key: 'EventId', value: 'id' }], { key: 'EventId', value: 'id' }],
    [[{ key: 'ResourceType', value: 'AWS::S3::Bucket' }], { key: 'ResourceType', value: 'AWS::S3::Bucket' }],
    [[{ key: 'ResourceType', value: 'T' }, { key: 'ResourceName', value: 'N' }], { key: 'ResourceName', value: 'N' }],
  ] as [LookupAttribute[], { key: IndexedAttribute; value: string }][])('walks %j on the key of %j, newest first without sorting', (attributes, driver) => {
    const { sql, params } = buildLookupSql(query(attributes));
    expect(params[0]).toBe(lookupKey(ACCOUNT, REGION, driver.key, driver.value));
    const { indexed, tail } = arms(plan(sql, params));
    expect(indexed).toContain('SEARCH k USING PRIMARY KEY (key=? AND event_time');
    expect(indexed).not.toContain('TEMP B-TREE');
    // The tail is read by position from the index head on; only it is sorted.
    expect(tail).toMatch(/SEARCH e USING (INDEX events_by_account_seq \(account_id=\? AND seq>\?|INTEGER PRIMARY KEY \(rowid>\?)/);
  });

  it.each([[[]], [[{ key: 'ReadOnly', value: 'true' }]]] as [LookupAttribute[]][])('walks %j on the partition time key', (attributes) => {
    const { sql, params } = buildLookupSql(query(attributes));
    const { indexed } = arms(plan(sql, params));
    expect(indexed).toContain('SEARCH k USING PRIMARY KEY (key=? AND event_time');
    expect(indexed).toContain('event_partitions');
    expect(indexed).not.toContain('TEMP B-TREE');
  });
});

describe('buildVolumeSql', () => {
  it('counts the time key entries without reading a row when no attribute is given', () => {
    const { after: _after, limit: _limit, ...volume } = query([]);
    const { sql, params } = buildVolumeSql(volume, 60_000, 0);
    const detail = plan(sql, params);
    const indexed = detail.slice(0, detail.indexOf('| UNION ALL'));
    expect(indexed).toContain('SEARCH k USING PRIMARY KEY (key=? AND event_time');
    expect(indexed).not.toContain('SEARCH e USING');
  });
});
