/**
 * Changes of control-plane state that API calls make, as data. A handler never writes a store
 * itself: it stages its changes, and the event log applies them in the same transaction as
 * the call's own record (EventStore.append). So a change is visible only once its record is
 * durable, and a call whose record cannot be committed leaves no effect.
 */
import type { InsightSelector } from '../core/insights/insight-types.js';
import type { SelectorConfig } from '../core/selectors/index.js';
import type { Channel, ChannelDestination, ChannelTag } from './channel-store.js';
import type { IdentityChange } from './identity-change.js';
import type { AlarmChange, LogsChange } from './monitoring/monitoring-change.js';
import type { Trail, TrailConfig, TrailTag } from './trail-store.js';

export type StateChange =
  | { kind: 'createTrail'; trail: Trail }
  | { kind: 'setTrailConfig'; trailArn: string; config: TrailConfig }
  | { kind: 'setTrailSelectors'; trailArn: string; selectors: SelectorConfig }
  /** PutInsightSelectors: replaces the list; empty turns Insights off. */
  | { kind: 'setTrailInsightSelectors'; trailArn: string; insightSelectors: InsightSelector[] }
  | { kind: 'setTrailTags'; trailArn: string; tags: TrailTag[] }
  | { kind: 'deleteTrail'; trailArn: string }
  /** Delivery resumes with the call's own record; what was made while stopped is skipped. */
  | { kind: 'startLogging'; trailArn: string; timeMs: number }
  /** The call's own record is the last event the trail delivers. */
  | { kind: 'stopLogging'; trailArn: string; timeMs: number }
  | { kind: 'createChannel'; channel: Channel }
  | { kind: 'updateChannel'; channelArn: string; name?: string; destinations?: ChannelDestination[] }
  | { kind: 'setChannelTags'; channelArn: string; tags: ChannelTag[] }
  | { kind: 'deleteChannel'; channelArn: string }
  /**
   * A forwarded call about to reach its upstream, with the record it has so far (before its
   * effect). Its own record, appended when the upstream has answered, closes it.
   */
  | { kind: 'openForwardedCall'; call: ForwardedCallInFlight }
  | { kind: 'closeForwardedCall'; callId: string }
  /** A bucket the gateway created for an account (CreateBucket answered 200), or deleted. */
  | { kind: 'claimBucket'; bucket: string; accountId: string; timeMs: number }
  | { kind: 'releaseBucket'; bucket: string }
  | IdentityChange
  | LogsChange
  | AlarmChange;

/** A gateway call journaled before it was forwarded (see api/gateway/in-flight.ts). */
export interface ForwardedCallInFlight {
  callId: string;
  accountId: string;
  region: string;
  /** The call's record as known before forwarding, serialised. */
  record: string;
  openedAtMs: number;
}

/**
 * Why a staged change could not be applied when its call committed: what it creates exists by
 * then (a concurrent create of the same name), what it changes is gone (a concurrent delete),
 * or what it deletes is still used by something made meanwhile (IAM's DeleteConflict).
 */
export type ConflictReason = 'exists' | 'missing' | 'inUse';

const REASON_TEXT: Record<ConflictReason, string> = { exists: 'already exists', missing: 'no longer exists', inUse: 'still in use' };

export class StateConflictError extends Error {
  readonly change: StateChange;
  readonly reason: ConflictReason;

  constructor(change: StateChange, reason: ConflictReason) {
    super(`${change.kind}: ${REASON_TEXT[reason]}`);
    this.name = 'StateConflictError';
    this.change = change;
    this.reason = reason;
  }
}
