/**
 * Which attribute of a LookupEvents query drives its index walk, on both stores. Chosen here,
 * not left to a planner: without statistics SQLite would walk the time index and filter every
 * event of the range. The others are checked on each row the walk finds.
 */
import type { LookupAttributeKey } from '../core/lookup-keys.js';
import type { LookupAttribute } from './event-store.js';

/** The events column of each attribute checked on the row; both stores' events tables have these. */
export const COLUMN_OF: Partial<Record<LookupAttributeKey, string>> = {
  EventId: 'event_id',
  EventName: 'event_name',
  ReadOnly: 'read_only',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
};

/** The event_resources column of each resource attribute. */
export const RESOURCE_COLUMN_OF: Partial<Record<LookupAttributeKey, string>> = {
  ResourceType: 'resource_type',
  ResourceName: 'resource_name',
};

/** Most selective first: the first attribute of the query in this order drives the scan. */
const SELECTIVITY: readonly LookupAttributeKey[] = ['EventId', 'AccessKeyId', 'ResourceName', 'Username', 'EventName', 'ResourceType', 'EventSource'];

/** A statement and its parameters, as the builders of both stores make them. */
export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

/** The attribute to drive from; undefined when none has an index (none given, or ReadOnly only). */
export function drivingAttribute(attributes: readonly LookupAttribute[]): LookupAttribute | undefined {
  for (const key of SELECTIVITY) {
    const found = attributes.find((a) => a.key === key);
    if (found) return found;
  }
  return undefined;
}
