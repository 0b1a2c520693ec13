/**
 * Storing log events and their metric samples on PostgreSQL, inside a transaction the caller
 * holds (as sqlite/log-store.ts's LogIngester): the log store's `ingest` (trails' forwarding)
 * and the putLogEvents change (the call record's transaction), so a metric counts an event the
 * same way whichever way it came, and exactly once.
 */
import type { PoolClient } from 'pg';
import type { IngestResult, IngestTarget, LogEventInput } from '../monitoring/log-groups.js';
import { eventSize } from '../monitoring/log-groups.js';
import { filterSamples, metricKeysOf } from '../sqlite/log-store.js';
import type { FilterRow } from '../sqlite/log-store.js';
import { addMetricSamples } from './metric-minutes.js';

/** 'noGroup' / 'noStream' (without `createStream`) when that does not exist: nothing is written then. */
export async function ingestLogEvents(
  client: PoolClient,
  target: IngestTarget,
  events: readonly LogEventInput[],
  nowMs: number,
  options: { createStream: boolean },
): Promise<IngestResult | 'noGroup' | 'noStream'> {
  const { accountId, region, logGroupName, logStreamName } = target;
  const key = [accountId, region, logGroupName];
  // FOR SHARE: a DeleteLogGroup committing meanwhile waits for these events instead of orphaning them.
  if ((await client.query('SELECT 1 FROM log_groups WHERE account_id = $1 AND region = $2 AND name = $3 FOR SHARE', key)).rowCount === 0) return 'noGroup';
  if (options.createStream) {
    await client.query('INSERT INTO log_streams (account_id, region, group_name, name, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [...key, logStreamName, nowMs]);
  } else if ((await client.query('SELECT 1 FROM log_streams WHERE account_id = $1 AND region = $2 AND group_name = $3 AND name = $4', [...key, logStreamName])).rowCount === 0) {
    return 'noStream';
  }
  const stored: LogEventInput[] = [];
  let bytes = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const event of events) {
    const result = await client.query(
      `INSERT INTO log_events (account_id, region, group_name, stream_name, timestamp, ingestion_time, message, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (account_id, region, group_name, stream_name, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
      [...key, logStreamName, event.timestamp, nowMs, event.message, event.dedupeKey ?? null],
    );
    if (result.rowCount === 0) continue;
    stored.push(event);
    bytes += eventSize(event.message);
    first = Math.min(first, event.timestamp);
    last = Math.max(last, event.timestamp);
  }
  if (stored.length === 0) return { inserted: 0, metrics: [] };
  await client.query(
    `UPDATE log_streams SET first_event_ts = LEAST(COALESCE(first_event_ts, $1), $1), last_event_ts = GREATEST(COALESCE(last_event_ts, $2), $2),
       last_ingestion_time = $3, stored_bytes = stored_bytes + $4
     WHERE account_id = $5 AND region = $6 AND group_name = $7 AND name = $8`,
    [first, last, nowMs, bytes, ...key, logStreamName],
  );
  const filters = await client.query<FilterRow>('SELECT * FROM metric_filters WHERE account_id = $1 AND region = $2 AND group_name = $3 ORDER BY filter_name', key);
  const samples = filterSamples(filters.rows, stored);
  await addMetricSamples(client, samples);
  return { inserted: stored.length, metrics: metricKeysOf(samples) };
}
