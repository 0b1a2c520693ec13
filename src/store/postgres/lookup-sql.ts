/**
 * Builds the LookupEvents query on PostgreSQL, whose events table has one index per lookup
 * attribute (schema/events.ts), each ending in event_time, seq; its planner, which has
 * statistics, picks one. Pure, so benchmarks can run exactly the SQL the server runs. The SQLite
 * store has its own (../sqlite/lookup-sql.ts): its index is kept behind the log.
 */
import type { LookupQuery } from '../event-store.js';
import { COLUMN_OF, drivingAttribute, RESOURCE_COLUMN_OF } from '../lookup-driver.js';
import type { SqlQuery } from '../lookup-driver.js';


/** `?` → `$1, $2, …`: the builders' SQL has no `?` other than placeholders. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function inPostgres(query: SqlQuery): SqlQuery {
  return { sql: numbered(query.sql), params: query.params };
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
    ? 'event_resources r JOIN events e ON e.seq = r.seq'
    : 'events e';
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

export function buildLookupSql(query: LookupQuery): SqlQuery {
  const { from, where, params, drivenByResource } = historyScan(query);
  const distinct = drivenByResource ? 'DISTINCT ' : '';
  // r's and e's time and seq are equal; a DISTINCT must be ordered by selected columns.
  return inPostgres({
    sql: `SELECT ${distinct}e.seq, e.event_time, e.record FROM ${from} WHERE ${where.join(' AND ')} ORDER BY e.event_time DESC, e.seq DESC LIMIT ?`,
    params: [...params, query.limit],
  });
}

/**
 * How many events of the query fall in each period of `periodMs` counted from `originMs`
 * (GetEventVolume): the same index walk as the lookup, counted instead of read, so no record is
 * parsed. Bucket n starts at originMs + n * periodMs.
 */
export function buildVolumeSql(query: Omit<LookupQuery, 'limit' | 'after'>, periodMs: number, originMs: number): SqlQuery {
  const { from, where, params, t, drivenByResource } = historyScan(query);
  const count = drivenByResource ? `count(DISTINCT ${t}.seq)` : 'count(*)';
  return inPostgres({
    sql: `SELECT (${t}.event_time - CAST(? AS BIGINT)) / CAST(? AS BIGINT) AS bucket, ${count} FROM ${from} WHERE ${where.join(' AND ')} GROUP BY bucket ORDER BY bucket`,
    params: [originMs, periodMs, ...params],
  });
}
