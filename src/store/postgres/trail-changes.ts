/**
 * The trail, channel and gateway changes of ../state-change.ts on PostgreSQL (the others are
 * identity-changes.ts and monitoring-changes.ts). Mirrors sqlite/state-changes.ts: its
 * comments say why each cursor moves as it does.
 */
import type { PoolClient } from 'pg';
import type { StateChange } from '../state-change.js';
import type { IdentityChange } from '../identity-change.js';
import type { AlarmChange, LogsChange } from '../monitoring/monitoring-change.js';
import { ChangeConflict, changed, inserted } from './change-sql.js';
import { isUniqueViolation } from './pool.js';

export type TrailChange = Exclude<StateChange, IdentityChange | LogsChange | AlarmChange>;

const TRAIL_CHANGE_KINDS: ReadonlySet<string> = new Set<TrailChange['kind']>([
  'createTrail',
  'setTrailConfig',
  'setTrailSelectors',
  'setTrailInsightSelectors',
  'setTrailTags',
  'deleteTrail',
  'startLogging',
  'stopLogging',
  'createChannel',
  'updateChannel',
  'setChannelTags',
  'deleteChannel',
  'openForwardedCall',
  'closeForwardedCall',
  'claimBucket',
  'releaseBucket',
]);

export function isTrailChange(change: StateChange): change is TrailChange {
  return TRAIL_CHANGE_KINDS.has(change.kind);
}

/** The consumers of a trail's events that StopLogging and StartLogging move: delivery and CloudWatch Logs forwarding. */
const TRAIL_CURSORS = ['delivery_cursors', 'cwl_cursors'] as const;

export async function applyTrailChange(client: PoolClient, change: TrailChange, callSeq: number): Promise<void> {
  switch (change.kind) {
    case 'createTrail': {
      const t = change.trail;
      await inserted(
        client,
        `INSERT INTO trails (trail_arn, account_id, home_region, name, config, selectors, tags, is_logging, start_logging_time, stop_logging_time, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          t.trailArn,
          t.accountId,
          t.homeRegion,
          t.name,
          JSON.stringify(t.config),
          t.selectors === undefined ? null : JSON.stringify(t.selectors),
          JSON.stringify(t.tags),
          t.isLogging ? 1 : 0,
          t.startLoggingTime ?? null,
          t.stopLoggingTime ?? null,
          JSON.stringify(t.status),
          t.createdAt,
        ],
      );
      // A new trail is not logging: its cursors start stopped, and StartLogging moves them on.
      for (const table of TRAIL_CURSORS) await client.query(`INSERT INTO ${table} (trail_arn, last_seq, until_seq) VALUES ($1, 0, 0)`, [t.trailArn]);
      return;
    }
    case 'setTrailConfig':
      // A trail pointed at another log group forwards from this call's record on, not its past.
      await client.query(
        `UPDATE cwl_cursors SET last_seq = GREATEST(last_seq, $1), batch_last_seq = NULL WHERE trail_arn = $2
           AND (SELECT config::jsonb ->> 'CloudWatchLogsLogGroupArn' FROM trails WHERE trail_arn = $2) IS DISTINCT FROM $3::text`,
        [callSeq - 1, change.trailArn, change.config.CloudWatchLogsLogGroupArn ?? null],
      );
      return changed(client, 'UPDATE trails SET config = $1 WHERE trail_arn = $2', [JSON.stringify(change.config), change.trailArn]);
    case 'setTrailSelectors':
      return changed(client, 'UPDATE trails SET selectors = $1 WHERE trail_arn = $2', [JSON.stringify(change.selectors), change.trailArn]);
    case 'setTrailInsightSelectors':
      return changed(client, 'UPDATE trails SET insight_selectors = $1 WHERE trail_arn = $2', [JSON.stringify(change.insightSelectors), change.trailArn]);
    case 'setTrailTags':
      return changed(client, 'UPDATE trails SET tags = $1 WHERE trail_arn = $2', [JSON.stringify(change.tags), change.trailArn]);
    case 'deleteTrail':
      // Cursors, delivered-file ledger, trees and chains go with it (ON DELETE CASCADE).
      return changed(client, 'DELETE FROM trails WHERE trail_arn = $1', [change.trailArn]);
    case 'startLogging':
      await changed(client, 'UPDATE trails SET is_logging = 1, start_logging_time = $1 WHERE trail_arn = $2', [change.timeMs, change.trailArn]);
      for (const table of TRAIL_CURSORS) await client.query(`UPDATE ${table} SET resume_seq = $1 WHERE trail_arn = $2 AND until_seq IS NOT NULL`, [callSeq - 1, change.trailArn]);
      return;
    case 'stopLogging':
      await changed(client, 'UPDATE trails SET is_logging = 0, stop_logging_time = $1 WHERE trail_arn = $2', [change.timeMs, change.trailArn]);
      for (const table of TRAIL_CURSORS) {
        await client.query(
          `UPDATE ${table} SET last_seq = CASE WHEN until_seq IS NULL THEN last_seq ELSE GREATEST(last_seq, resume_seq) END, until_seq = $1, resume_seq = NULL
            WHERE trail_arn = $2 AND (until_seq IS NULL OR (resume_seq IS NOT NULL AND last_seq >= until_seq))`,
          [callSeq, change.trailArn],
        );
      }
      return;
    case 'createChannel': {
      const c = change.channel;
      return inserted(client, 'INSERT INTO channels (channel_arn, account_id, region, name, source, destinations, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        c.channelArn,
        c.accountId,
        c.region,
        c.name,
        c.source,
        JSON.stringify(c.destinations),
        JSON.stringify(c.tags),
        c.createdAt,
      ]);
    }
    case 'updateChannel':
      return renamedOrChanged(client, change.channelArn, change.name ?? null, change.destinations ? JSON.stringify(change.destinations) : null);
    case 'setChannelTags':
      return changed(client, 'UPDATE channels SET tags = $1 WHERE channel_arn = $2', [JSON.stringify(change.tags), change.channelArn]);
    case 'deleteChannel':
      return changed(client, 'DELETE FROM channels WHERE channel_arn = $1', [change.channelArn]);
    case 'openForwardedCall': {
      const c = change.call;
      return inserted(client, 'INSERT INTO forwarded_calls_in_flight (call_id, account_id, region, record, opened_at) VALUES ($1, $2, $3, $4, $5)', [
        c.callId,
        c.accountId,
        c.region,
        c.record,
        c.openedAtMs,
      ]);
    }
    case 'closeForwardedCall':
      return changed(client, 'DELETE FROM forwarded_calls_in_flight WHERE call_id = $1', [change.callId]);
    case 'claimBucket':
      // The upstream created it just now: a stale claim (a bucket deleted past the gateway) gives way.
      await client.query(
        `INSERT INTO gateway_bucket_owners (bucket, account_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (bucket) DO UPDATE SET account_id = EXCLUDED.account_id, created_at = EXCLUDED.created_at`,
        [change.bucket, change.accountId, change.timeMs],
      );
      return;
    case 'releaseBucket':
      await client.query('DELETE FROM gateway_bucket_owners WHERE bucket = $1', [change.bucket]);
      return;
  }
}

/** An UPDATE that must find its row and may collide with a taken name. */
async function renamedOrChanged(client: PoolClient, channelArn: string, name: string | null, destinations: string | null): Promise<void> {
  let result;
  try {
    result = await client.query('UPDATE channels SET name = COALESCE($1, name), destinations = COALESCE($2, destinations) WHERE channel_arn = $3', [name, destinations, channelArn]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ChangeConflict('exists');
    throw error;
  }
  if (result.rowCount === 0) throw new ChangeConflict('missing');
}
