/** The CloudWatch Logs and alarm changes on PostgreSQL. Mirrors sqlite/logs-changes.ts and sqlite/alarm-changes.ts. */
import type { PoolClient } from 'pg';
import type { AlarmChange, LogsChange } from '../monitoring/monitoring-change.js';
import { UnsupportedOnPostgresError } from './unsupported.js';

export async function applyLogsChange(_client: PoolClient, change: LogsChange): Promise<void> {
  throw new UnsupportedOnPostgresError(change.kind);
}

export async function applyAlarmChange(_client: PoolClient, change: AlarmChange): Promise<void> {
  throw new UnsupportedOnPostgresError(change.kind);
}
