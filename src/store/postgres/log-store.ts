/**
 * The hosted CloudWatch Logs port on PostgreSQL (as sqlite/log-store.ts). Groups, retention and
 * filters change only through staged changes (monitoring-changes.ts); events arrive through
 * `ingest` (trails' forwarding) or the putLogEvents change, both through log-ingester.ts.
 */
import type { Pool } from 'pg';
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
  StoredLogEvent,
  StreamEventQuery,
} from '../monitoring/log-groups.js';
import { LogGroupMissingError } from '../monitoring/log-groups.js';
import { eventOf, groupOf, metricFilterOf, streamOf } from '../sqlite/log-store.js';
import type { EventRow, FilterRow, GroupRow, StreamRow } from '../sqlite/log-store.js';
import { ingestLogEvents } from './log-ingester.js';
import { inTransaction } from './pool.js';

const DAY_MS = 86_400_000;
const EVENT_COLUMNS = 'id, stream_name, timestamp, ingestion_time, message';

export class PostgresLogStore implements LogStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async group(accountId: string, region: string, name: string): Promise<LogGroup | undefined> {
    const row = (await this.#pool.query<GroupRow>('SELECT * FROM log_groups WHERE account_id = $1 AND region = $2 AND name = $3', [accountId, region, name])).rows[0];
    return row === undefined ? undefined : groupOf(row);
  }

  async groups(accountId: string, region: string, query: LogGroupQuery): Promise<LogGroupSummary[]> {
    const rows = (
      await this.#pool.query<GroupRow & { filter_count: number; stored_bytes: number }>(
        `SELECT g.*,
           (SELECT count(*) FROM metric_filters f WHERE f.account_id = g.account_id AND f.region = g.region AND f.group_name = g.name) AS filter_count,
           (SELECT COALESCE(SUM(s.stored_bytes), 0)::bigint FROM log_streams s WHERE s.account_id = g.account_id AND s.region = g.region AND s.group_name = g.name) AS stored_bytes
         FROM log_groups g
         WHERE g.account_id = $1 AND g.region = $2 AND g.name > $3
           AND ($4::text IS NULL OR starts_with(g.name, $4))
           AND ($5::text IS NULL OR strpos(lower(g.name), lower($5)) > 0)
         ORDER BY g.name LIMIT $6`,
        [accountId, region, query.after ?? '', query.prefix ?? null, query.pattern ?? null, query.limit],
      )
    ).rows;
    return rows.map((row) => ({ ...groupOf(row), metricFilterCount: row.filter_count, storedBytes: row.stored_bytes }));
  }

  async stream(accountId: string, region: string, groupName: string, streamName: string): Promise<LogStream | undefined> {
    const row = (
      await this.#pool.query<StreamRow>('SELECT * FROM log_streams WHERE account_id = $1 AND region = $2 AND group_name = $3 AND name = $4', [accountId, region, groupName, streamName])
    ).rows[0];
    return row === undefined ? undefined : streamOf(row);
  }

  async streams(accountId: string, region: string, groupName: string, query: LogStreamQuery): Promise<LogStream[]> {
    const byTime = query.orderBy === 'LastEventTime';
    const direction = query.descending ? 'DESC' : 'ASC';
    const compare = query.descending ? '<' : '>';
    const values: unknown[] = [accountId, region, groupName, query.prefix ?? null];
    let afterSql = '';
    if (query.after !== undefined) {
      if (byTime) {
        values.push(query.after.lastEventTimestamp, query.after.name);
        afterSql = ` AND (COALESCE(last_event_ts, -1), name) ${compare} ($5::bigint, $6::text)`;
      } else {
        values.push(query.after.name);
        afterSql = ` AND name ${compare} $5::text`;
      }
    }
    values.push(query.limit);
    const orderSql = byTime ? `COALESCE(last_event_ts, -1) ${direction}, name ${direction}` : `name ${direction}`;
    const rows = (
      await this.#pool.query<StreamRow>(
        `SELECT * FROM log_streams WHERE account_id = $1 AND region = $2 AND group_name = $3
           AND ($4::text IS NULL OR starts_with(name, $4))${afterSql}
         ORDER BY ${orderSql} LIMIT $${values.length}`,
        values,
      )
    ).rows;
    return rows.map(streamOf);
  }

  async streamEvents(accountId: string, region: string, groupName: string, streamName: string, query: StreamEventQuery): Promise<StoredLogEvent[]> {
    const forward = query.direction === 'forward';
    const from = query.from;
    const rows = (
      await this.#pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM log_events
          WHERE account_id = $1 AND region = $2 AND group_name = $3 AND stream_name = $4
            AND timestamp >= $5 AND timestamp < $6
            AND ($7::int IS NULL OR (timestamp, id) ${forward ? '>' : '<'} ($8::bigint, $9::bigint))
          ORDER BY timestamp ${forward ? 'ASC' : 'DESC'}, id ${forward ? 'ASC' : 'DESC'} LIMIT $10`,
        [
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
        ],
      )
    ).rows;
    return rows.map(eventOf);
  }

  async groupEvents(accountId: string, region: string, groupName: string, query: GroupEventQuery): Promise<StoredLogEvent[]> {
    const after = query.after;
    const rows = (
      await this.#pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM log_events
          WHERE account_id = $1 AND region = $2 AND group_name = $3
            AND timestamp >= $4 AND timestamp < $5
            AND ($6::int IS NULL OR (timestamp, id) > ($7::bigint, $8::bigint))
            AND ($9::text IS NULL OR starts_with(stream_name, $9))
            AND ($10::text[] IS NULL OR stream_name = ANY($10::text[]))
          ORDER BY timestamp, id LIMIT $11`,
        [
          accountId,
          region,
          groupName,
          query.startTime ?? Number.MIN_SAFE_INTEGER,
          query.endTime ?? Number.MAX_SAFE_INTEGER,
          after === undefined ? null : 1,
          after?.timestamp ?? 0,
          after?.id ?? 0,
          query.streamPrefix ?? null,
          query.streamNames ?? null,
          query.limit,
        ],
      )
    ).rows;
    return rows.map(eventOf);
  }

  async metricFilters(accountId: string, region: string, query: MetricFilterQuery): Promise<MetricFilter[]> {
    const after = query.after;
    const rows = (
      await this.#pool.query<FilterRow>(
        `SELECT * FROM metric_filters
          WHERE account_id = $1 AND region = $2
            AND ($3::text IS NULL OR group_name = $3)
            AND ($4::text IS NULL OR starts_with(filter_name, $4))
            AND ($5::int IS NULL OR (group_name, filter_name) > ($6::text, $7::text))
          ORDER BY group_name, filter_name`,
        [accountId, region, query.logGroupName ?? null, query.filterNamePrefix ?? null, after === undefined ? null : 1, after?.logGroupName ?? '', after?.filterName ?? ''],
      )
    ).rows;
    // Metric name and namespace live in the transformations' JSON: filtered here, then limited.
    const filters = rows
      .map(metricFilterOf)
      .filter((f) =>
        f.metricTransformations.some(
          (t) => (query.metricName === undefined || t.metricName === query.metricName) && (query.metricNamespace === undefined || t.metricNamespace === query.metricNamespace),
        ),
      );
    return filters.slice(0, query.limit);
  }

  async ingest(target: IngestTarget, events: readonly LogEventInput[], nowMs: number): Promise<IngestResult> {
    const result = await inTransaction(this.#pool, async (client) => ingestLogEvents(client, target, events, nowMs, { createStream: true }));
    if (result === 'noGroup' || result === 'noStream') throw new LogGroupMissingError(target);
    return result;
  }

  async purgeExpired(nowMs: number): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      const groups = (
        await client.query<{ account_id: string; region: string; name: string; retention_days: number }>(
          'SELECT account_id, region, name, retention_days FROM log_groups WHERE retention_days IS NOT NULL',
        )
      ).rows;
      let total = 0;
      for (const g of groups) {
        const cutoff = nowMs - g.retention_days * DAY_MS;
        const key = [g.account_id, g.region, g.name, cutoff];
        const gone = (
          await client.query<{ stream_name: string; n: number; bytes: number }>(
            `SELECT stream_name, count(*) AS n, SUM(octet_length(message) + 26)::bigint AS bytes FROM log_events
              WHERE account_id = $1 AND region = $2 AND group_name = $3 AND timestamp < $4 GROUP BY stream_name`,
            key,
          )
        ).rows;
        if (gone.length === 0) continue;
        await client.query('DELETE FROM log_events WHERE account_id = $1 AND region = $2 AND group_name = $3 AND timestamp < $4', key);
        for (const s of gone) {
          await client.query('UPDATE log_streams SET stored_bytes = GREATEST(0, stored_bytes - $1) WHERE account_id = $2 AND region = $3 AND group_name = $4 AND name = $5', [
            s.bytes,
            g.account_id,
            g.region,
            g.name,
            s.stream_name,
          ]);
          total += s.n;
        }
      }
      return total;
    });
  }
}
