/**
 * Builds the LookupEvents and GetEventVolume queries on SQLite. Pure, so plans can be checked in
 * tests (EXPLAIN QUERY PLAN) and benchmarks run exactly the SQL the server runs.
 *
 * The lookup index (event_keys, ./lookup-index.ts) is kept behind the log by the writer thread
 * (event-indexer.ts), so every query has two parts in one statement, hence one snapshot:
 * - the index up to event_index_head, walked newest first on the key of the most selective
 *   attribute given (or the partition's time key), each entry leading to its row;
 * - the rows after the head, the unindexed tail (bounded by the writer), scanned.
 * Every row is checked against the whole query, which also rules out a key's hash collision.
 */
import type { LookupAttribute, LookupQuery } from '../event-store.js';
import { COLUMN_OF, drivingAttribute, RESOURCE_COLUMN_OF } from '../lookup-driver.js';
import type { SqlQuery } from '../lookup-driver.js';
import type { IndexedAttribute } from './lookup-index.js';
import { lookupKey } from './lookup-index.js';


const HEAD = '(SELECT last_seq FROM event_index_head WHERE id = 1)';
/** lookup-index.ts timeKey in SQL: -1 - (partition id * 4 + is_insight * 2 + in_history). */
const TIME_KEY = '-1 - ((SELECT id FROM event_partitions WHERE account_id = ? AND region = ?) * 4 + ? * 2 + ?)';

type QueryShape = Omit<LookupQuery, 'limit'>;

interface Clause {
  sql: string[];
  params: (string | number)[];
}

/** What every row of the answer satisfies, checked on its events row (alias e). */
function rowChecks(query: QueryShape): Clause {
  const sql = ['e.account_id = ?', 'e.region = ?', 'e.is_insight = ?', 'e.event_time BETWEEN ? AND ?'];
  const params: (string | number)[] = [query.accountId, query.region, query.insights ? 1 : 0, query.startMs, query.endMs];
  // Data events are not in the event history.
  if (query.includeDataEvents !== true) sql.push('e.in_history = 1');
  if (query.maxSeq !== undefined) {
    sql.push('e.seq <= ?');
    params.push(query.maxSeq);
  }
  if (query.after !== undefined) {
    sql.push('(e.event_time, e.seq) < (?, ?)');
    params.push(query.after.timeMs, query.after.seq);
  }
  for (const attribute of query.attributes) {
    const column = COLUMN_OF[attribute.key];
    sql.push(column !== undefined ? `e.${column} = ?` : `EXISTS (SELECT 1 FROM event_resources x WHERE x.seq = e.seq AND x.${RESOURCE_COLUMN_OF[attribute.key]!} = ?)`);
    params.push(attribute.value);
  }
  return { sql, params };
}

/**
 * The index walk's bounds on event_keys (alias k): its key, the time range and page boundary on
 * the entry itself, so the walk starts and stops in the B-tree rather than row by row.
 */
function keyRange(query: QueryShape, driver: LookupAttribute | undefined): Clause {
  const sql: string[] = [];
  const params: (string | number)[] = [];
  if (driver !== undefined) {
    sql.push('k.key = ?');
    params.push(lookupKey(query.accountId, query.region, driver.key as IndexedAttribute, driver.value));
  } else if (query.includeDataEvents === true) {
    // Both time keys (history and data events): the walk is then sorted. No caller asks this today.
    sql.push(`k.key IN (${TIME_KEY}, ${TIME_KEY})`);
    params.push(query.accountId, query.region, query.insights ? 1 : 0, 1, query.accountId, query.region, query.insights ? 1 : 0, 0);
  } else {
    sql.push(`k.key = ${TIME_KEY}`);
    params.push(query.accountId, query.region, query.insights ? 1 : 0, 1);
  }
  sql.push('k.event_time BETWEEN ? AND ?', `k.seq <= ${HEAD}`);
  params.push(query.startMs, query.endMs);
  if (query.maxSeq !== undefined) {
    sql.push('k.seq <= ?');
    params.push(query.maxSeq);
  }
  if (query.after !== undefined) {
    // The plain bound lets the range start at the page boundary; the row value breaks ties.
    sql.push('k.event_time <= ?', '(k.event_time, k.seq) < (?, ?)');
    params.push(query.after.timeMs, query.after.timeMs, query.after.seq);
  }
  return { sql, params };
}

/** Only an attribute-less walk of the history needs no row to check: its time key is exact. */
function needsRowChecks(query: QueryShape, driver: LookupAttribute | undefined): boolean {
  return driver !== undefined || query.attributes.length > 0 || query.includeDataEvents === true;
}

export function buildLookupSql(query: LookupQuery): SqlQuery {
  const driver = drivingAttribute(query.attributes);
  const range = keyRange(query, driver);
  const checks = rowChecks(query);
  // k's own time and seq are selected, so the compound's ORDER BY is the index order (no sort).
  // CROSS JOIN keeps the index walk outermost.
  const indexed = `SELECT k.seq AS seq, k.event_time AS event_time, e.record FROM event_keys k CROSS JOIN events e ON e.seq = k.seq WHERE ${[...range.sql, ...checks.sql].join(' AND ')}`;
  const tail = `SELECT e.seq, e.event_time, e.record FROM events e WHERE e.seq > ${HEAD} AND ${checks.sql.join(' AND ')}`;
  return {
    sql: `${indexed} UNION ALL ${tail} ORDER BY event_time DESC, seq DESC LIMIT ?`,
    params: [...range.params, ...checks.params, ...checks.params, query.limit],
  };
}

/**
 * How many events of the query fall in each period of `periodMs` counted from `originMs`
 * (GetEventVolume). Without attributes the index entries alone are counted; bucket n starts at
 * originMs + n * periodMs.
 */
export function buildVolumeSql(query: Omit<LookupQuery, 'limit' | 'after'>, periodMs: number, originMs: number): SqlQuery {
  const driver = drivingAttribute(query.attributes);
  const range = keyRange(query, driver);
  const checks = rowChecks(query);
  const bucket = (alias: string) => `(${alias}.event_time - CAST(? AS INTEGER)) / CAST(? AS INTEGER)`;
  const indexed = needsRowChecks(query, driver)
    ? `SELECT ${bucket('k')} AS bucket FROM event_keys k CROSS JOIN events e ON e.seq = k.seq WHERE ${[...range.sql, ...checks.sql].join(' AND ')}`
    : `SELECT ${bucket('k')} AS bucket FROM event_keys k WHERE ${range.sql.join(' AND ')}`;
  const indexedParams = needsRowChecks(query, driver) ? [...range.params, ...checks.params] : range.params;
  const tail = `SELECT ${bucket('e')} FROM events e WHERE e.seq > ${HEAD} AND ${checks.sql.join(' AND ')}`;
  return {
    sql: `SELECT bucket, count(*) FROM (${indexed} UNION ALL ${tail}) GROUP BY bucket ORDER BY bucket`,
    params: [originMs, periodMs, ...indexedParams, originMs, periodMs, ...checks.params],
  };
}
