/**
 * Builds the LookupEvents query. Pure, so the plan can be checked in tests (EXPLAIN QUERY PLAN)
 * and benchmarks can run exactly the SQL the server runs.
 */
import type { LookupAttributeKey } from '../../core/lookup-keys.js';
import type { LookupQuery } from '../event-store.js';

const COLUMN_OF: Partial<Record<LookupAttributeKey, string>> = {
  EventId: 'event_id',
  EventName: 'event_name',
  ReadOnly: 'read_only',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
};

const RESOURCE_COLUMN_OF: Partial<Record<LookupAttributeKey, string>> = {
  ResourceType: 'resource_type',
  ResourceName: 'resource_name',
};

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

export function buildLookupSql(query: LookupQuery): SqlQuery {
  const where = ['e.account_id = ?', 'e.region = ?', 'e.is_insight = ?', 'e.event_time BETWEEN ? AND ?'];
  const params: (string | number)[] = [query.accountId, query.region, query.insights ? 1 : 0, query.startMs, query.endMs];
  if (query.maxSeq !== undefined) {
    where.push('e.seq <= ?');
    params.push(query.maxSeq);
  }
  if (query.after !== undefined) {
    where.push('(e.event_time, e.seq) < (?, ?)');
    params.push(query.after.timeMs, query.after.seq);
  }
  for (const { key, value } of query.attributes) {
    const column = COLUMN_OF[key];
    if (column !== undefined) {
      where.push(`e.${column} = ?`);
      params.push(value);
      continue;
    }
    const resourceColumn = RESOURCE_COLUMN_OF[key];
    if (resourceColumn === undefined) throw new Error(`unknown lookup attribute ${key}`);
    where.push(
      `e.seq IN (SELECT r.seq FROM event_resources r WHERE r.account_id = ? AND r.region = ? AND r.${resourceColumn} = ? AND r.event_time BETWEEN ? AND ?)`,
    );
    params.push(query.accountId, query.region, value, query.startMs, query.endMs);
  }
  params.push(query.limit);
  return {
    sql: `SELECT e.seq, e.event_time, e.record FROM events e WHERE ${where.join(' AND ')} ORDER BY e.event_time DESC, e.seq DESC LIMIT ?`,
    params,
  };
}
