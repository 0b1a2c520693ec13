/**
 * Applies staged control-plane changes (../state-change.ts) to SQLite. Runs in the event log's
 * writer thread, inside the transaction that appends the call's record, after the record: a
 * change is never committed without it. `callSeq` is the log position of that record.
 */
import type { StateChange } from '../state-change.js';
import { isAlarmChange, isLogsChange } from '../monitoring/monitoring-change.js';
import { AlarmChangeWriter } from './alarm-changes.js';
import { ChangeConflict, changed, inserted } from './change-sql.js';
import type { SqliteDatabase } from './database.js';
import { isUniqueViolation } from './errors.js';
import { IdentityChangeWriter } from './identity-changes.js';
import { LogsChangeWriter } from './logs-changes.js';
import { StatementCache } from './statement-cache.js';

export { ChangeConflict } from './change-sql.js';

/** The consumers of a trail's events that StopLogging and StartLogging move: delivery and CloudWatch Logs forwarding. */
const TRAIL_CURSORS = ['delivery_cursors', 'cwl_cursors'] as const;

export class StateChangeWriter {
  readonly #sql: StatementCache;
  readonly #identity: IdentityChangeWriter;
  readonly #logs: LogsChangeWriter;
  readonly #alarms: AlarmChangeWriter;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
    this.#identity = new IdentityChangeWriter(db);
    this.#logs = new LogsChangeWriter(db);
    this.#alarms = new AlarmChangeWriter(db);
  }

  apply(change: StateChange, callSeq: number): void {
    const sql = this.#sql;
    switch (change.kind) {
      case 'createTrail': {
        const t = change.trail;
        inserted(
          sql.get(
            `INSERT INTO trails (trail_arn, account_id, home_region, name, config, selectors, tags, is_logging, start_logging_time, stop_logging_time, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
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
        );
        // A new trail is not logging: its cursor starts stopped, and StartLogging moves it on.
        sql.get('INSERT INTO delivery_cursors (trail_arn, last_seq, until_seq) VALUES (?, 0, 0)').run(t.trailArn);
        sql.get('INSERT INTO cwl_cursors (trail_arn, last_seq, until_seq) VALUES (?, 0, 0)').run(t.trailArn);
        return;
      }
      case 'setTrailConfig':
        // A trail pointed at another log group forwards from this call's record on, not its past.
        sql
          .get(
            `UPDATE cwl_cursors SET last_seq = MAX(last_seq, ?), batch_last_seq = NULL WHERE trail_arn = ?
             AND (SELECT json_extract(config, '$.CloudWatchLogsLogGroupArn') FROM trails WHERE trail_arn = ?) IS NOT ?`,
          )
          .run(callSeq - 1, change.trailArn, change.trailArn, change.config.CloudWatchLogsLogGroupArn ?? null);
        return changed(sql.get('UPDATE trails SET config = ? WHERE trail_arn = ?'), JSON.stringify(change.config), change.trailArn);
      case 'setTrailSelectors':
        return changed(sql.get('UPDATE trails SET selectors = ? WHERE trail_arn = ?'), JSON.stringify(change.selectors), change.trailArn);
      case 'setTrailInsightSelectors':
        return changed(sql.get('UPDATE trails SET insight_selectors = ? WHERE trail_arn = ?'), JSON.stringify(change.insightSelectors), change.trailArn);
      case 'setTrailTags':
        return changed(sql.get('UPDATE trails SET tags = ? WHERE trail_arn = ?'), JSON.stringify(change.tags), change.trailArn);
      case 'deleteTrail':
        // Cursors, delivered-file ledger, trees and chains go with it (ON DELETE CASCADE).
        return changed(sql.get('DELETE FROM trails WHERE trail_arn = ?'), change.trailArn);
      case 'startLogging':
        changed(sql.get('UPDATE trails SET is_logging = 1, start_logging_time = ? WHERE trail_arn = ?'), change.timeMs, change.trailArn);
        // Events made while logging was stopped are not delivered: after the stop position the
        // cursor jumps to just before this call's record, which is delivered.
        for (const table of TRAIL_CURSORS) sql.get(`UPDATE ${table} SET resume_seq = ? WHERE trail_arn = ? AND until_seq IS NOT NULL`).run(callSeq - 1, change.trailArn);
        return;
      case 'stopLogging':
        changed(sql.get('UPDATE trails SET is_logging = 0, stop_logging_time = ? WHERE trail_arn = ?'), change.timeMs, change.trailArn);
        // A gap the consumer has reached but not yet skipped (a new trail's start, before its
        // first pass) is skipped now, so that this stop is not lost behind it. A gap it has not
        // reached yet keeps its place; this stop is then dropped and the consumer, past that gap,
        // goes on after this stop too (events made while stopped would be sent, none lost).
        for (const table of TRAIL_CURSORS) {
          sql
            .get(
              `UPDATE ${table} SET last_seq = CASE WHEN until_seq IS NULL THEN last_seq ELSE MAX(last_seq, resume_seq) END, until_seq = ?, resume_seq = NULL
               WHERE trail_arn = ? AND (until_seq IS NULL OR (resume_seq IS NOT NULL AND last_seq >= until_seq))`,
            )
            .run(callSeq, change.trailArn);
        }
        return;
      case 'createChannel': {
        const c = change.channel;
        return inserted(
          sql.get('INSERT INTO channels (channel_arn, account_id, region, name, source, destinations, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
          c.channelArn,
          c.accountId,
          c.region,
          c.name,
          c.source,
          JSON.stringify(c.destinations),
          JSON.stringify(c.tags),
          c.createdAt,
        );
      }
      case 'updateChannel': {
        const statement = sql.get('UPDATE channels SET name = COALESCE(?, name), destinations = COALESCE(?, destinations) WHERE channel_arn = ?');
        try {
          return changed(statement, change.name ?? null, change.destinations ? JSON.stringify(change.destinations) : null, change.channelArn);
        } catch (error) {
          if (isUniqueViolation(error)) throw new ChangeConflict('exists');
          throw error;
        }
      }
      case 'setChannelTags':
        return changed(sql.get('UPDATE channels SET tags = ? WHERE channel_arn = ?'), JSON.stringify(change.tags), change.channelArn);
      case 'deleteChannel':
        return changed(sql.get('DELETE FROM channels WHERE channel_arn = ?'), change.channelArn);
      case 'openForwardedCall': {
        const c = change.call;
        return inserted(
          sql.get('INSERT INTO forwarded_calls_in_flight (call_id, account_id, region, record, opened_at) VALUES (?, ?, ?, ?, ?)'),
          c.callId,
          c.accountId,
          c.region,
          c.record,
          c.openedAtMs,
        );
      }
      case 'claimBucket':
        // The upstream created it just now: a stale claim (a bucket deleted past the gateway) gives way.
        sql
          .get('INSERT INTO gateway_bucket_owners (bucket, account_id, created_at) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET account_id = excluded.account_id, created_at = excluded.created_at')
          .run(change.bucket, change.accountId, change.timeMs);
        return;
      case 'releaseBucket':
        sql.get('DELETE FROM gateway_bucket_owners WHERE bucket = ?').run(change.bucket);
        return;
      case 'closeForwardedCall':
        return changed(sql.get('DELETE FROM forwarded_calls_in_flight WHERE call_id = ?'), change.callId);
      default:
        if (isLogsChange(change)) return this.#logs.apply(change);
        if (isAlarmChange(change)) return this.#alarms.apply(change);
        return this.#identity.apply(change);
    }
  }
}
