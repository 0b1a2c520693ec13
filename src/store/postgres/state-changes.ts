/**
 * Applies staged control-plane changes (../state-change.ts) on PostgreSQL, as
 * sqlite/state-changes.ts does on SQLite: inside the transaction that appends the call's record,
 * after the record, in the append's own savepoint (event-store.ts). `callSeq` is the log
 * position of that record. Throws ChangeConflict when the change no longer applies.
 */
import type { PoolClient } from 'pg';
import type { StateChange } from '../state-change.js';
import { isAlarmChange, isLogsChange } from '../monitoring/monitoring-change.js';
import { applyIdentityChange } from './identity-changes.js';
import { applyAlarmChange, applyLogsChange } from './monitoring-changes.js';
import { applyTrailChange, isTrailChange } from './trail-changes.js';

export async function applyStateChange(client: PoolClient, change: StateChange, callSeq: number): Promise<void> {
  if (isTrailChange(change)) return applyTrailChange(client, change, callSeq);
  if (isLogsChange(change)) return applyLogsChange(client, change);
  if (isAlarmChange(change)) return applyAlarmChange(client, change);
  return applyIdentityChange(client, change);
}
