/**
 * Builds the LookupEvents query. Pure, so the plan can be checked in tests (EXPLAIN QUERY PLAN)
 * and benchmarks can run exactly the SQL the server runs.
 *
 * The driving index is chosen here, not left to the planner: without statistics SQLite prefers
 * the time index and filters every event of the range. We drive from the index of the most
 * selective attribute given (each ends in event_time, seq, so rows come out in newest-first
 * order with no sort) and check the other attributes on each row.
 */
import type { LookupAttributeKey } from '../../core/lookup-keys.js';
import type { LookupAttribute, LookupQuery } from '../event-store.js';

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

const INDEX_OF: Partial<Record<LookupAttributeKey, string>> = {
  EventId: 'events_by_event_id',
  EventName: 'events_by_event_name',
  Username: 'events_by_username',
  EventSource: 'events_by_event_source',
  AccessKeyId: 'events_by_access_key_id',
  ResourceType: 'event_resources_by_type',
  ResourceName: 'event_resources_by_name',
};

/** Most selective first: the first attribute of the query in this order drives the scan. */
const SELECTIVITY: readonly LookupAttributeKey[] = [
  'EventId',
  'AccessKeyId',
  'ResourceName',
  'Username',
  'EventName',
  'ResourceType',
  'EventSource',
];

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

/**
 * SQLite's text (with its index hints and `?` placeholders), or PostgreSQL's: no hints (its
 * planner has statistics), `$n` placeholders, and a DISTINCT ordered by what it selects.
 */
export type SqlDialect = 'sqlite' | 'postgres';

/** `?` → `$1, $2, …`: the builders' SQL has no `?` other than placeholders. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function inDialect(query: SqlQuery, dialect: SqlDialect): SqlQuery {
  if (dialect === 'sqlite') return query;
  const sql = numbered(query.sql.replace(/ INDEXED BY \w+/g, '').replace(/CAST\(\? AS INTEGER\)/g, 'CAST(? AS BIGINT)'));
  return { sql, params: query.params };
}

function drivingAttribute(attributes: readonly LookupAttribute[]): LookupAttribute | undefined {
  for (const key of SELECTIVITY) {
    const found = attributes.find((a) => a.key === key);
    if (found) return found;
  }
  return undefined;
}

/** The FROM and WHERE of a history query: the driving index, the bounds and the attribute checks. */
interface HistoryScan {
  from: string;
  where: string[];
  params: (string | number)[];
  /** The alias whose index drives the scan; its event_time and seq order the rows. */
  t: 'e' | 'r';
  /** Driven by resources: an event with two resources of one type would come twice. */
  drivenByResource: boolean;
}

function historyScan(query: Omit<LookupQuery, 'limit'>): HistoryScan {
  const driver = drivingAttribute(query.attributes);
  const drivenByResource = driver !== undefined && RESOURCE_COLUMN_OF[driver.key] !== undefined;
  // t is the table whose index drives the scan; its event_time and seq order the output.
  const t = drivenByResource ? 'r' : 'e';
  const from = drivenByResource
    ? `event_resources r INDEXED BY ${INDEX_OF[driver.key]!} JOIN events e ON e.seq = r.seq`
    : `events e INDEXED BY ${driver ? INDEX_OF[driver.key]! : 'events_by_time'}`;
  const where = [`${t}.account_id = ?`, `${t}.region = ?`, 'e.is_insight = ?'];
  const params: (string | number)[] = [query.accountId, query.region, query.insights ? 1 : 0];
  // Data events are not in the event history; the time index has in_history before event_time.
  if (query.includeDataEvents !== true) where.push('e.in_history = 1');
  where.push(`${t}.event_time BETWEEN ? AND ?`);
  params.push(query.startMs, query.endMs);
  if (query.maxSeq !== undefined) {
    where.push(`${t}.seq <= ?`);
    params.push(query.maxSeq);
  }
  if (query.after !== undefined) {
    // The plain bound lets the index range start at the page boundary; the row value breaks ties.
    where.push(`${t}.event_time <= ?`, `(${t}.event_time, ${t}.seq) < (?, ?)`);
    params.push(query.after.timeMs, query.after.timeMs, query.after.seq);
  }
  for (const attribute of query.attributes) {
    const column = COLUMN_OF[attribute.key];
    if (column !== undefined) {
      where.push(`e.${column} = ?`);
      params.push(attribute.value);
      continue;
    }
    const resourceColumn = RESOURCE_COLUMN_OF[attribute.key]!;
    if (attribute === driver) {
      where.push(`r.${resourceColumn} = ?`);
      params.push(attribute.value);
    } else {
      where.push(`EXISTS (SELECT 1 FROM event_resources x WHERE x.seq = e.seq AND x.${resourceColumn} = ?)`);
      params.push(attribute.value);
    }
  }
  return { from, where, params, t, drivenByResource };
}

export function buildLookupSql(query: LookupQuery, dialect: SqlDialect = 'sqlite'): SqlQuery {
  const { from, where, params, t, drivenByResource } = historyScan(query);
  const distinct = drivenByResource ? 'DISTINCT ' : '';
  // r's and e's time and seq are equal; PostgreSQL wants a DISTINCT ordered by selected columns.
  const order = dialect === 'postgres' ? 'e' : t;
  return inDialect(
    {
      sql: `SELECT ${distinct}e.seq, e.event_time, e.record FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order}.event_time DESC, ${order}.seq DESC LIMIT ?`,
      params: [...params, query.limit],
    },
    dialect,
  );
}

/**
 * How many events of the query fall in each period of `periodMs` counted from `originMs`
 * (GetEventVolume): the same index walk as the lookup, counted instead of read, so no record is
 * parsed. Bucket n starts at originMs + n * periodMs.
 */
export function buildVolumeSql(query: Omit<LookupQuery, 'limit' | 'after'>, periodMs: number, originMs: number, dialect: SqlDialect = 'sqlite'): SqlQuery {
  const { from, where, params, t, drivenByResource } = historyScan(query);
  const count = drivenByResource ? `count(DISTINCT ${t}.seq)` : 'count(*)';
  return inDialect(
    {
      sql: `SELECT (${t}.event_time - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS bucket, ${count} FROM ${from} WHERE ${where.join(' AND ')} GROUP BY bucket ORDER BY bucket`,
      params: [originMs, periodMs, ...params],
    },
    dialect,
  );
}
