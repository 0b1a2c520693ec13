/**
 * The hosted CloudWatch Logs port on SQLite (log_groups, log_streams, log_events,
 * metric_filters; samples into metric_minutes). Groups, retention and filters change only in
 * the writer thread (./logs-changes.ts); events arrive here through `ingest` (trails'
 * forwarding) or in the writer thread (PutLogEvents), both through `LogIngester`, so a metric
 * counts an event the same way whichever way it came.
 *
 * `ingest` and `purgeExpired` are BEGIN IMMEDIATE transactions: the writer thread writes to the
 * same database, and a deferred transaction that read first could not upgrade to a write
 * (./delivery-cursor-store.ts).
 */
import type { FilterPattern } from '../../monitoring/filter-pattern/index.js';
import { matchLogEvent, parseFilterPattern, prepareLogEvent } from '../../monitoring/filter-pattern/index.js';
import { metricSamplesOf } from '../../monitoring/metric-values.js';
import type {
  GroupEventQuery,
  IngestResult,
  IngestTarget,
  LogEventInput,
  LogGroup,
  LogGroupQuery,
  LogGroupSummary,
  LogStore,
  LogStream,
  LogStreamQuery,
  MetricFilter,
  MetricFilterQuery,
  MetricTransformation,
  StoredLogEvent,
  StreamEventQuery,
} from '../monitoring/log-groups.js';
import { LogGroupMissingError, eventSize } from '../monitoring/log-groups.js';
import type { MetricKey, MetricSample } from '../monitoring/metrics.js';
import { dimensionsText } from '../monitoring/metrics.js';
import type { SqliteDatabase } from './database.js';
import { addMetricSamples } from './metric-minutes.js';
import { StatementCache } from './statement-cache.js';

export interface GroupRow {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  tags: string;
}

export interface StreamRow {
  name: string;
  created_at: number;
  first_event_ts: number | null;
  last_event_ts: number | null;
  last_ingestion_time: number | null;
  stored_bytes: number;
}

export interface EventRow {
  id: number;
  stream_name: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

export interface FilterRow {
  account_id: string;
  region: string;
  group_name: string;
  filter_name: string;
  pattern: string;
  transformations: string;
  created_at: number;
}

export function groupOf(row: GroupRow): LogGroup {
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    createdAt: row.created_at,
    ...(row.retention_days !== null && { retentionInDays: row.retention_days }),
    ...(row.kms_key_id !== null && { kmsKeyId: row.kms_key_id }),
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}

export function streamOf(row: StreamRow): LogStream {
  return {
    name: row.name,
    createdAt: row.created_at,
    ...(row.first_event_ts !== null && { firstEventTimestamp: row.first_event_ts }),
    ...(row.last_event_ts !== null && { lastEventTimestamp: row.last_event_ts }),
    ...(row.last_ingestion_time !== null && { lastIngestionTime: row.last_ingestion_time }),
    storedBytes: row.stored_bytes,
  };
}

export function eventOf(row: EventRow): StoredLogEvent {
  return { id: row.id, logStreamName: row.stream_name, timestamp: row.timestamp, ingestionTime: row.ingestion_time, message: row.message };
}

export function metricFilterOf(row: FilterRow): MetricFilter {
  return {
    accountId: row.account_id,
    region: row.region,
    logGroupName: row.group_name,
    filterName: row.filter_name,
    filterPattern: row.pattern,
    metricTransformations: JSON.parse(row.transformations) as MetricTransformation[],
    createdAt: row.created_at,
  };
}

/**
 * Parsed patterns by their text: a filter's pattern never changes under its text, so the cache
 * needs no invalidation when filters change (in the writer thread, on another connection); the
 * filters themselves are re-read by each ingest (one indexed query). Bounded: cleared when full.
 */
const PATTERN_CACHE_LIMIT = 1024;
const patternCache = new Map<string, FilterPattern | null>();

export function parsedPattern(source: string): FilterPattern | null {
  let parsed = patternCache.get(source);
  if (parsed === undefined) {
    try {
      parsed = parseFilterPattern(source);
    } catch {
      // Stored filters were parsed when they were put; one that no longer parses matches nothing.
      parsed = null;
    }
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    patternCache.set(source, parsed);
  }
  return parsed;
}

/** Regex terms of a stored pattern (0 for one that no longer parses). */
export function regexCountOf(source: string): number {
  return parsedPattern(source)?.regexCount ?? 0;
}

/**
 * Storing events and their metric samples on one connection, synchronously, inside a
 * transaction its caller holds: `SqliteLogStore.ingest` (its own BEGIN IMMEDIATE) and the
 * writer thread's putLogEvents change (the call record's transaction).
 */
export class LogIngester {
  readonly #sql: StatementCache;

  constructor(sql: StatementCache) {
    this.#sql = sql;
  }

  /** 'noGroup' / 'noStream' (without `createStream`) when that does not exist: nothing is written then. */
  ingest(target: IngestTarget, events: readonly LogEventInput[], nowMs: number, options: { createStream: boolean }): IngestResult | 'noGroup' | 'noStream' {
    const sql = this.#sql;
    const { accountId, region, logGroupName, logStreamName } = target;
    const group = sql.get('SELECT 1 FROM log_groups WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, logGroupName);
    if (group === undefined) return 'noGroup';
    if (options.createStream) {
      sql
        .get('INSERT OR IGNORE INTO log_streams (account_id, region, group_name, name, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(accountId, region, logGroupName, logStreamName, nowMs);
    } else if (sql.get('SELECT 1 FROM log_streams WHERE account_id = ? AND region = ? AND group_name = ? AND name = ?').get(accountId, region, logGroupName, logStreamName) === undefined) {
      return 'noStream';
    }
    const insert = sql.get(
      `INSERT OR IGNORE INTO log_events (account_id, region, group_name, stream_name, timestamp, ingestion_time, message, dedupe_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const stored: LogEventInput[] = [];
    let bytes = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const event of events) {
      if (insert.run(accountId, region, logGroupName, logStreamName, event.timestamp, nowMs, event.message, event.dedupeKey ?? null).changes === 0) continue;
      stored.push(event);
      bytes += eventSize(event.message);
      first = Math.min(first, event.timestamp);
      last = Math.max(last, event.timestamp);
    }
    if (stored.length === 0) return { inserted: 0, metrics: [] };
    sql
      .get(
        `UPDATE log_streams SET first_event_ts = MIN(COALESCE(first_event_ts, ?), ?), last_event_ts = MAX(COALESCE(last_event_ts, ?), ?),
           last_ingestion_time = ?, stored_bytes = stored_bytes + ?
         WHERE account_id = ? AND region = ? AND group_name = ? AND name = ?`,
      )
      .run(first, first, last, last, nowMs, bytes, accountId, region, logGroupName, logStreamName);
    return { inserted: stored.length, metrics: this.#addSamples(target, stored) };
  }

  #addSamples(target: IngestTarget, stored: readonly LogEventInput[]): MetricKey[] {
    const rows = this.#sql
      .get('SELECT * FROM metric_filters WHERE account_id = ? AND region = ? AND group_name = ? ORDER BY filter_name')
      .all(target.accountId, target.region, target.logGroupName) as FilterRow[];
    const samples = filterSamples(rows, stored);
    addMetricSamples(this.#sql, samples);
    return metricKeysOf(samples);
  }
}

/** What the group's metric filters make of the events just stored (filters in name order). */
export function filterSamples(rows: readonly FilterRow[], stored: readonly LogEventInput[]): MetricSample[] {
  if (rows.length === 0) return [];
  const filters = rows.flatMap((row) => {
    const pattern = parsedPattern(row.pattern);
    return pattern === null ? [] : [{ filter: metricFilterOf(row), pattern }];
  });
  const samples: MetricSample[] = [];
  for (const event of stored) {
    const prepared = prepareLogEvent(event.message);
    for (const { filter, pattern } of filters) samples.push(...metricSamplesOf(filter, matchLogEvent(pattern, prepared), event.timestamp));
  }
  return samples;
}

/** The metrics the samples are of, once each. */
export function metricKeysOf(samples: readonly MetricSample[]): MetricKey[] {
  const keys = new Map<string, MetricKey>();
  for (const s of samples) keys.set(`${s.key.namespace}\u0000${s.key.metricName}\u0000${dimensionsText(s.key.dimensions)}`, s.key);
  return [...keys.values()];
}

const DAY_MS = 86_400_000;

export class SqliteLogStore implements LogStore {
  readonly #db: SqliteDatabase;
  readonly #sql: StatementCache;
  readonly #ingester: LogIngester;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#sql = new StatementCache(db);
    this.#ingester = new LogIngester(this.#sql);
  }

  async group(accountId: string, region: string, name: string): Promise<LogGroup | undefined> {
    const row = this.#sql.get('SELECT * FROM log_groups WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as GroupRow | undefined;
    return Promise.resolve(row === undefined ? undefined : groupOf(row));
  }

  async groups(accountId: string, region: string, query: LogGroupQuery): Promise<LogGroupSummary[]> {
    const rows = this.#sql
      .get(
        `SELECT g.*,
           (SELECT COUNT(*) FROM metric_filters f WHERE f.account_id = g.account_id AND f.region = g.region AND f.group_name = g.name) AS filter_count,
           (SELECT COALESCE(SUM(s.stored_bytes), 0) FROM log_streams s WHERE s.account_id = g.account_id AND s.region = g.region AND s.group_name = g.name) AS stored_bytes
         FROM log_groups g
         WHERE g.account_id = ? AND g.region = ? AND g.name > ?
           AND (? IS NULL OR substr(g.name, 1, length(?)) = ?)
           AND (? IS NULL OR instr(lower(g.name), lower(?)) > 0)
         ORDER BY g.name LIMIT ?`,
      )
      .all(
        accountId,
        region,
        query.after ?? '',
        query.prefix ?? null,
        query.prefix ?? '',
        query.prefix ?? '',
        query.pattern ?? null,
        query.pattern ?? '',
        query.limit,
      ) as (GroupRow & { filter_count: number; stored_bytes: number })[];
    return Promise.resolve(rows.map((row) => ({ ...groupOf(row), metricFilterCount: row.filter_count, storedBytes: row.stored_bytes })));
  }

  async stream(accountId: string, region: string, groupName: string, streamName: string): Promise<LogStream | undefined> {
    const row = this.#sql
      .get('SELECT * FROM log_streams WHERE account_id = ? AND region = ? AND group_name = ? AND name = ?')
      .get(accountId, region, groupName, streamName) as StreamRow | undefined;
    return Promise.resolve(row === undefined ? undefined : streamOf(row));
  }

  async streams(accountId: string, region: string, groupName: string, query: LogStreamQuery): Promise<LogStream[]> {
    const byTime = query.orderBy === 'LastEventTime';
    const direction = query.descending ? 'DESC' : 'ASC';
    const compare = query.descending ? '<' : '>';
    const key = byTime ? '(COALESCE(last_event_ts, -1), name)' : '(name)';
    const afterKey = query.after === undefined ? null : byTime ? [query.after.lastEventTimestamp, query.after.name] : [query.after.name];
    const afterSql = afterKey === null ? '' : ` AND ${key} ${compare} (${afterKey.map(() => '?').join(', ')})`;
    const orderSql = byTime ? `COALESCE(last_event_ts, -1) ${direction}, name ${direction}` : `name ${direction}`;
    const rows = this.#sql
      .get(
        `SELECT * FROM log_streams WHERE account_id = ? AND region = ? AND group_name = ?
           AND (? IS NULL OR substr(name, 1, length(?)) = ?)${afterSql}
         ORDER BY ${orderSql} LIMIT ?`,
      )
      .all(accountId, region, groupName, query.prefix ?? null, query.prefix ?? '', query.prefix ?? '', ...(afterKey ?? []), query.limit) as StreamRow[];
    return Promise.resolve(rows.map(streamOf));
  }

  async streamEvents(accountId: string, region: string, groupName: string, streamName: string, query: StreamEventQuery): Promise<StoredLogEvent[]> {
    const forward = query.direction === 'forward';
    const from = query.from;
    const rows = this.#sql
      .get(
        `SELECT id, stream_name, timestamp, ingestion_time, message FROM log_events INDEXED BY log_events_by_stream
         WHERE account_id = ? AND region = ? AND group_name = ? AND stream_name = ?
           AND timestamp >= ? AND timestamp < ?
           AND (? IS NULL OR (timestamp, id) ${forward ? '>' : '<'} (?, ?))
         ORDER BY timestamp ${forward ? 'ASC' : 'DESC'}, id ${forward ? 'ASC' : 'DESC'} LIMIT ?`,
      )
      .all(
        accountId,
        region,
        groupName,
        streamName,
        query.startTime ?? Number.MIN_SAFE_INTEGER,
        query.endTime ?? Number.MAX_SAFE_INTEGER,
        from === undefined ? null : 1,
        from?.timestamp ?? 0,
        from?.id ?? 0,
        query.limit,
      ) as EventRow[];
    return Promise.resolve(rows.map(eventOf));
  }

  async groupEvents(accountId: string, region: string, groupName: string, query: GroupEventQuery): Promise<StoredLogEvent[]> {
    const names = query.streamNames;
    const namesSql = names === undefined ? '' : ` AND stream_name IN (SELECT value FROM json_each(?))`;
    const after = query.after;
    const rows = this.#sql
      .get(
        `SELECT id, stream_name, timestamp, ingestion_time, message FROM log_events INDEXED BY log_events_by_time
         WHERE account_id = ? AND region = ? AND group_name = ?
           AND timestamp >= ? AND timestamp < ?
           AND (? IS NULL OR (timestamp, id) > (?, ?))
           AND (? IS NULL OR substr(stream_name, 1, length(?)) = ?)${namesSql}
         ORDER BY timestamp, id LIMIT ?`,
      )
      .all(
        accountId,
        region,
        groupName,
        query.startTime ?? Number.MIN_SAFE_INTEGER,
        query.endTime ?? Number.MAX_SAFE_INTEGER,
        after === undefined ? null : 1,
        after?.timestamp ?? 0,
        after?.id ?? 0,
        query.streamPrefix ?? null,
        query.streamPrefix ?? '',
        query.streamPrefix ?? '',
        ...(names === undefined ? [] : [JSON.stringify(names)]),
        query.limit,
      ) as EventRow[];
    return Promise.resolve(rows.map(eventOf));
  }

  async metricFilters(accountId: string, region: string, query: MetricFilterQuery): Promise<MetricFilter[]> {
    const after = query.after;
    const rows = this.#sql
      .get(
        `SELECT * FROM metric_filters
         WHERE account_id = ? AND region = ?
           AND (? IS NULL OR group_name = ?)
           AND (? IS NULL OR substr(filter_name, 1, length(?)) = ?)
           AND (? IS NULL OR (group_name, filter_name) > (?, ?))
         ORDER BY group_name, filter_name`,
      )
      .all(
        accountId,
        region,
        query.logGroupName ?? null,
        query.logGroupName ?? '',
        query.filterNamePrefix ?? null,
        query.filterNamePrefix ?? '',
        query.filterNamePrefix ?? '',
        after === undefined ? null : 1,
        after?.logGroupName ?? '',
        after?.filterName ?? '',
      ) as FilterRow[];
    // Metric name and namespace live in the transformations' JSON: filtered here, then limited.
    const filters = rows
      .map(metricFilterOf)
      .filter((f) =>
        f.metricTransformations.some(
          (t) => (query.metricName === undefined || t.metricName === query.metricName) && (query.metricNamespace === undefined || t.metricNamespace === query.metricNamespace),
        ),
      );
    return Promise.resolve(filters.slice(0, query.limit));
  }

  async ingest(target: IngestTarget, events: readonly LogEventInput[], nowMs: number): Promise<IngestResult> {
    const result = this.#db.transaction(() => this.#ingester.ingest(target, events, nowMs, { createStream: true })).immediate();
    if (result === 'noGroup' || result === 'noStream') throw new LogGroupMissingError(target);
    return Promise.resolve(result);
  }

  async purgeExpired(nowMs: number): Promise<number> {
    const sql = this.#sql;
    const removed = this.#db
      .transaction(() => {
        const groups = sql.get('SELECT account_id, region, name, retention_days FROM log_groups WHERE retention_days IS NOT NULL').all() as {
          account_id: string;
          region: string;
          name: string;
          retention_days: number;
        }[];
        let total = 0;
        for (const g of groups) {
          const cutoff = nowMs - g.retention_days * DAY_MS;
          const gone = sql
            .get(
              `SELECT stream_name, COUNT(*) AS n, SUM(length(CAST(message AS BLOB)) + 26) AS bytes FROM log_events
               WHERE account_id = ? AND region = ? AND group_name = ? AND timestamp < ? GROUP BY stream_name`,
            )
            .all(g.account_id, g.region, g.name, cutoff) as { stream_name: string; n: number; bytes: number }[];
          if (gone.length === 0) continue;
          sql.get('DELETE FROM log_events WHERE account_id = ? AND region = ? AND group_name = ? AND timestamp < ?').run(g.account_id, g.region, g.name, cutoff);
          const shrink = sql.get('UPDATE log_streams SET stored_bytes = MAX(0, stored_bytes - ?) WHERE account_id = ? AND region = ? AND group_name = ? AND name = ?');
          for (const s of gone) {
            shrink.run(s.bytes, g.account_id, g.region, g.name, s.stream_name);
            total += s.n;
          }
        }
        return total;
      })
      .immediate();
    return Promise.resolve(removed);
  }
}
