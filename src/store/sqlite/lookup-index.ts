/**
 * The lookup index of the SQLite event log: one narrow table, event_keys (key, event_time, seq),
 * instead of one wide index per attribute on the events table. A key is a 53-bit hash of
 * (account, region, attribute, value), so every entry is three integers whatever the value's
 * length; many entries fit a page, and one B-tree is written instead of eight.
 *
 * A hash can collide: every query that reads an attribute's key checks the attribute again on
 * the event row it leads to (lookup-sql.ts), so a collision costs a wasted row read, never a
 * wrong answer. The keys of attribute-less queries (time keys) are exact instead: negative
 * numbers made of the partition's id in event_partitions, so the volume chart counts entries
 * without reading a row.
 *
 * The hash is part of the stored format: changing it needs a migration that rebuilds event_keys.
 */
import type { LookupAttributeKey, LookupKeys } from '../../core/lookup-keys.js';

/** The attributes that have keys. ReadOnly has none: true/false cannot narrow a scan. */
export type IndexedAttribute = Exclude<LookupAttributeKey, 'ReadOnly'>;

/**
 * Two 32-bit FNV-1a-style hashes over the UTF-16 code units (different offset bases and primes,
 * each finished with a murmur-style avalanche), joined into a non-negative safe integer: 32 bits
 * of the first above 21 of the second.
 */
export function keyHash(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = avalanche(a);
  b = avalanche(b);
  return (a >>> 0) * 0x200000 + (b >>> 11);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function lookupKey(accountId: string, region: string, attribute: IndexedAttribute, value: string): number {
  return keyHash(`${accountId}\u0000${region}\u0000${attribute}\u0000${value}`);
}

/**
 * The key of attribute-less queries: every event of the partition (event_partitions.id), with
 * Insights events and the events outside the event history (data events) under keys of their
 * own, so the history of a log of mostly data events is still a walk over its own entries.
 * Negative, so it never equals an attribute's (non-negative) hash. lookup-sql.ts computes the
 * same in SQL (TIME_KEY_SQL).
 */
export function timeKey(partitionId: number, isInsight: boolean, inHistory: boolean): number {
  return -1 - (partitionId * 4 + (isInsight ? 2 : 0) + (inHistory ? 1 : 0));
}

/** What the indexer knows of a stored event: the columns of its row and its resources. */
export interface IndexedEvent {
  seq: number;
  accountId: string;
  region: string;
  /** event_partitions.id of its account and region. */
  partitionId: number;
  keys: Pick<LookupKeys, 'eventTimeMs' | 'isInsight' | 'inEventHistory' | 'eventId' | 'eventName' | 'username' | 'eventSource' | 'accessKeyId' | 'resources'>;
}

/** One row of event_keys. */
export type IndexEntry = [key: number, eventTimeMs: number, seq: number];

/** The entries of one event: its time key, one per attribute it has, one per resource type and name. */
export function indexEntriesOf(event: IndexedEvent, into: IndexEntry[]): void {
  const { accountId, region, seq } = event;
  const k = event.keys;
  const time = k.eventTimeMs;
  into.push([timeKey(event.partitionId, k.isInsight, k.inEventHistory), time, seq]);
  into.push([lookupKey(accountId, region, 'EventId', k.eventId), time, seq]);
  if (k.eventName !== null) into.push([lookupKey(accountId, region, 'EventName', k.eventName), time, seq]);
  if (k.username !== null) into.push([lookupKey(accountId, region, 'Username', k.username), time, seq]);
  if (k.eventSource !== null) into.push([lookupKey(accountId, region, 'EventSource', k.eventSource), time, seq]);
  if (k.accessKeyId !== null) into.push([lookupKey(accountId, region, 'AccessKeyId', k.accessKeyId), time, seq]);
  for (const resource of k.resources) {
    if (resource.type !== null) into.push([lookupKey(accountId, region, 'ResourceType', resource.type), time, seq]);
    if (resource.name !== null) into.push([lookupKey(accountId, region, 'ResourceName', resource.name), time, seq]);
  }
}

/** Key order: entries that share index pages are written one after the other. */
export function compareEntries(x: IndexEntry, y: IndexEntry): number {
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
