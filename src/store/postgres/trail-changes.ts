/**
 * The trail, channel and gateway changes of ../state-change.ts on PostgreSQL (the others are
 * identity-changes.ts and monitoring-changes.ts). Mirrors sqlite/state-changes.ts.
 */
import type { PoolClient } from 'pg';
import type { StateChange } from '../state-change.js';
import type { IdentityChange } from '../identity-change.js';
import type { AlarmChange, LogsChange } from '../monitoring/monitoring-change.js';
import { UnsupportedOnPostgresError } from './unsupported.js';

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

export async function applyTrailChange(_client: PoolClient, change: TrailChange, _callSeq: number): Promise<void> {
  throw new UnsupportedOnPostgresError(change.kind);
}
