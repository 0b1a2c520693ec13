import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LookupAttribute } from '../event-store.js';
import { openSqliteDatabase } from './database.js';
import { buildLookupSql } from './lookup-sql.js';

const db = openSqliteDatabase(join(mkdtempSync(join(tmpdir(), 'opentrail-plan-')), 'plan.db'));

function plan(attributes: LookupAttribute[]): string {
  const { sql, params } = buildLookupSql({
    accountId: '111122223333',
    region: 'us-east-1',
    attributes,
    startMs: 0,
    endMs: 1e13,
    insights: false,
    maxSeq: 100,
    after: { timeMs: 1e12, seq: 50 },
    limit: 51,
  });
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

describe('buildLookupSql', () => {
  it.each([
    [[], 'events_by_time'],
    [[{ key: 'Username', value: 'alice' }], 'events_by_username'],
    [[{ key: 'ReadOnly', value: 'true' }], 'events_by_time'],
    [[{ key: 'AccessKeyId', value: 'AKIA' }, { key: 'EventName', value: 'X' }], 'events_by_access_key_id'],
    [[{ key: 'ReadOnly', value: 'true' }, { key: 'EventSource', value: 's3.amazonaws.com' }, { key: 'Username', value: 'alice' }], 'events_by_username'],
    [[{ key: 'EventName', value: 'X' }, { key: 'EventId', value: 'id' }], 'events_by_event_id'],
    [[{ key: 'ResourceType', value: 'AWS::S3::Bucket' }], 'event_resources_by_type'],
    [[{ key: 'ResourceType', value: 'T' }, { key: 'ResourceName', value: 'N' }], 'event_resources_by_name'],
  ] as [LookupAttribute[], string][])('drives %j from %s without sorting', (attributes, index) => {
    const detail = plan(attributes);
    expect(detail).toContain(index);
    expect(detail).not.toContain('ORDER BY');
  });
});

describe('buildLookupSql: the event history leaves out data events', () => {
  it('in the range of the time index, not by filtering rows', () => {
    expect(plan([])).toContain('events_by_time (account_id=? AND region=? AND is_insight=? AND in_history=? AND event_time');
  });
});
