/**
 * The event log port: a totally ordered, append-only log of CloudTrail records, partitioned by
 * account and region for the event history. Everything downstream (history, trails, digests)
 * reads from here; nothing else is a source of truth.
 */
import type { LookupAttributeKey, LookupKeys } from '../core/lookup-keys.js';
import type { StateChange } from './state-change.js';

/** An event ready to append: its canonical bytes and the keys the history indexes. */
export interface PreparedEvent {
  accountId: string;
  region: string;
  /** The record's canonical JSON text; stored and later delivered byte for byte. */
  json: string;
  keys: LookupKeys;
  /**
   * Appends at most once: when an event with the same eventID already exists in the account
   * and region (appended earlier or in the same batch), it is not stored again and the append
   * reports the original. PutAuditEvents derives eventIDs from (channel, caller's id) for this.
   */
  idempotent?: boolean;
  /**
   * False: the event is history only, and trails read past it (imported records, unless the
   * import asks for delivery). Default true.
   */
  deliverToTrails?: boolean;
}

export interface AppendedEvent {
  /** Log position of the event (of the original, for a duplicate). */
  seq: number;
  /** eventID of the stored record (of the original, for a duplicate). */
  eventId: string;
  duplicate: boolean;
}

export interface AppendResult {
  /** One entry per event given, in the same order. */
  events: AppendedEvent[];
}

export interface LookupAttribute {
  key: LookupAttributeKey;
  value: string;
}

/** Where a page ends: the (time, seq) of its last event, newest-first order. */
export interface LookupPosition {
  timeMs: number;
  seq: number;
}

export interface LookupQuery {
  accountId: string;
  region: string;
  /** ANDed together; may be empty. */
  attributes: LookupAttribute[];
  /** Inclusive bounds on eventTime, epoch ms. */
  startMs: number;
  endMs: number;
  /** false: the event history; true: only Insights events. */
  insights: boolean;
  /**
   * Also data and network-activity events, which the event history leaves out (LookupEvents
   * never sets this; proofs look any delivered event up by id).
   */
  includeDataEvents?: boolean;
  /** Events strictly after this position (in newest-first order). */
  after?: LookupPosition;
  /** Only events with seq <= this, so pages of one query see one snapshot of the log. */
  maxSeq?: number;
  limit: number;
}

/** A lookup counted rather than read: no paging. */
export type VolumeQuery = Omit<LookupQuery, 'limit' | 'after'>;

export interface VolumeBucket {
  /** Start of the period, epoch ms. */
  startMs: number;
  count: number;
}

export interface StoredEvent {
  seq: number;
  timeMs: number;
  json: string;
}

/** An event as consumers of the log see it. */
export interface LogEntry {
  seq: number;
  /** The account the event belongs to (an organization trail reads several). */
  accountId: string;
  region: string;
  /** The record's eventTime, epoch ms. */
  timeMs: number;
  json: string;
  /** False for events stored as history only: trails deliver nothing of them, but read past them. */
  deliverToTrails: boolean;
}

/** What request handlers may do with the log: read it. Appends are the pipeline's. */
export type EventReader = Pick<EventStore, 'lookup' | 'volume' | 'lastSeq'>;

export interface EventStore {
  /**
   * Appends events atomically and resolves only once they are durable (fsynced). Concurrent
   * calls may share one commit (group commit); each caller is still answered only after its
   * own events are on disk. Rejects with StoreOverloadedError when too many events are waiting,
   * so memory stays bounded; nothing of a rejected call is stored.
   *
   * `changes` are the state changes of the call whose record is the last of `events`: they
   * are applied in the same transaction, after the events, so none is visible unless the
   * record is durable. When one cannot be applied the append rejects with StateConflictError
   * and stores nothing.
   */
  append(events: readonly PreparedEvent[], changes?: readonly StateChange[]): Promise<AppendResult>;
  /**
   * Whether an append of `events` would be accepted now rather than refused as overloaded: for
   * a caller that must refuse before it does anything it cannot undo (the gateway, before a
   * read reaches its upstream). A later append can still be refused.
   */
  hasCapacity(events: number): boolean;
  /** Events matching the query, newest first (eventTime desc, then seq desc). */
  lookup(query: LookupQuery): Promise<StoredEvent[]>;
  /**
   * How many events match the query per period of `periodMs`, oldest first. Periods start on
   * multiples of `periodMs` since the epoch (the first may begin before `startMs`, though only
   * events from `startMs` are counted); periods with none are left out (GetEventVolume).
   */
  volume(query: VolumeQuery, periodMs: number): Promise<VolumeBucket[]>;
  /**
   * An account's events (or several accounts', for an organization trail) after a log position,
   * in log order (seq ascending), at most `limit`, none after `untilSeq` when given. This is how
   * consumers (trail delivery) read the log.
   */
  readRange(accounts: string | readonly string[], afterSeq: number, untilSeq: number | undefined, limit: number): Promise<LogEntry[]>;
  /** Every account's events after a log position, in log order, at most `limit`: consumers of the whole log (the Insights detector). */
  readAfter(afterSeq: number, limit: number): Promise<LogEntry[]>;
  /**
   * Calls `listener` after each durable append, for consumers that would rather not wait for
   * their next poll (CloudWatch Logs forwarding, the console's live tail). It must be cheap and
   * must not throw. Returns what removes the listener again.
   */
  onAppended(listener: () => void): () => void;
  /** The highest seq appended so far (0 when empty). */
  lastSeq(): Promise<number>;
  /** Deletes history events whose eventTime is before the cutoff; returns how many. */
  purgeBefore(cutoffMs: number): Promise<number>;
  /** Flushes pending appends, then releases the store. */
  close(): Promise<void>;
}

export class StoreOverloadedError extends Error {
  constructor(pending: number) {
    super(`event store is overloaded: ${pending} events are waiting to be committed`);
    this.name = 'StoreOverloadedError';
  }
}
