/**
 * Applies the hosted CloudWatch Logs' staged changes (../monitoring/monitoring-change.ts) in
 * the writer thread, in the transaction of the call's record. Conflicts (a group created by a
 * racing call, a group deleted meanwhile) are ChangeConflicts that roll the call back with its
 * record: 'exists' or 'missing', which the handler maps to CloudWatch Logs' exception.
 */
import type { LogsChange } from '../monitoring/monitoring-change.js';
import { ChangeConflict, changed, inserted } from './change-sql.js';
import type { SqliteDatabase } from './database.js';
import { MAX_FILTERS_PER_GROUP, MAX_REGEX_FILTERS_PER_GROUP } from '../monitoring/log-groups.js';
import { LogIngester, regexCountOf } from './log-store.js';
import { StatementCache } from './statement-cache.js';

export class LogsChangeWriter {
  readonly #sql: StatementCache;
  readonly #ingester: LogIngester;

  constructor(db: SqliteDatabase) {
    this.#sql = new StatementCache(db);
    this.#ingester = new LogIngester(this.#sql);
  }

  apply(change: LogsChange): void {
    const sql = this.#sql;
    switch (change.kind) {
      case 'createLogGroup': {
        const g = change.group;
        return inserted(
          sql.get('INSERT INTO log_groups (account_id, region, name, arn, created_at, retention_days, kms_key_id, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
          g.accountId,
          g.region,
          g.name,
          g.arn,
          g.createdAt,
          g.retentionInDays ?? null,
          g.kmsKeyId ?? null,
          JSON.stringify(g.tags),
        );
      }
      case 'deleteLogGroup':
        // Streams, events and metric filters go with it (ON DELETE CASCADE).
        return changed(sql.get('DELETE FROM log_groups WHERE account_id = ? AND region = ? AND name = ?'), change.accountId, change.region, change.name);
      case 'setLogGroupRetention':
        return changed(
          sql.get('UPDATE log_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND name = ?'),
          change.retentionInDays,
          change.accountId,
          change.region,
          change.name,
        );
      case 'putMetricFilter': {
        const f = change.filter;
        inserted(
          sql.get(
            `INSERT INTO metric_filters (account_id, region, group_name, filter_name, pattern, transformations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (account_id, region, group_name, filter_name) DO UPDATE SET pattern = excluded.pattern, transformations = excluded.transformations, created_at = excluded.created_at`,
          ),
          f.accountId,
          f.region,
          f.logGroupName,
          f.filterName,
          f.filterPattern,
          JSON.stringify(f.metricTransformations),
          f.createdAt,
        );
        return this.#checkFilterQuotas(f.accountId, f.region, f.logGroupName);
      }
      case 'deleteMetricFilter':
        return changed(
          sql.get('DELETE FROM metric_filters WHERE account_id = ? AND region = ? AND group_name = ? AND filter_name = ?'),
          change.accountId,
          change.region,
          change.logGroupName,
          change.filterName,
        );
      case 'createLogStream':
        return inserted(
          sql.get('INSERT INTO log_streams (account_id, region, group_name, name, created_at) VALUES (?, ?, ?, ?, ?)'),
          change.accountId,
          change.region,
          change.logGroupName,
          change.logStreamName,
          change.createdAt,
        );
      case 'putLogEvents': {
        const result = this.#ingester.ingest(change.target, change.events, change.nowMs, { createStream: false });
        if (result === 'noGroup' || result === 'noStream') throw new ChangeConflict('missing');
        return;
      }
    }
  }

  /**
   * The group's quotas, re-checked at commit: a racing PutMetricFilter may have taken the last
   * place since the handler counted. 'exists': the room it would take is taken already (the
   * handler answers LimitExceededException for it).
   */
  #checkFilterQuotas(accountId: string, region: string, groupName: string): void {
    const patterns = this.#sql
      .get('SELECT pattern FROM metric_filters WHERE account_id = ? AND region = ? AND group_name = ?')
      .pluck()
      .all(accountId, region, groupName) as string[];
    if (patterns.length > MAX_FILTERS_PER_GROUP) throw new ChangeConflict('exists');
    if (patterns.filter((p) => regexCountOf(p) > 0).length > MAX_REGEX_FILTERS_PER_GROUP) throw new ChangeConflict('exists');
  }
}
