/**
 * Whether one record matches a LookupEvents filter, as the store's lookup would decide: the live
 * tail filters new events in memory with it (the store's index walk is newest-first by time,
 * not by log position). Same keys (core/lookup-keys.ts), same exact comparison.
 */
import type { LookupKeys } from '../../core/lookup-keys.js';
import type { LookupAttribute } from '../../store/event-store.js';

function matchesAttribute(keys: LookupKeys, attribute: LookupAttribute): boolean {
  const { value } = attribute;
  switch (attribute.key) {
    case 'EventId':
      return keys.eventId === value;
    case 'EventName':
      return keys.eventName === value;
    case 'ReadOnly':
      return keys.readOnly === value;
    case 'Username':
      return keys.username === value;
    case 'EventSource':
      return keys.eventSource === value;
    case 'AccessKeyId':
      return keys.accessKeyId === value;
    case 'ResourceType':
      return keys.resources.some((r) => r.type === value);
    case 'ResourceName':
      return keys.resources.some((r) => r.name === value);
  }
}

export function matchesHistoryFilter(keys: LookupKeys, filter: { attributes: readonly LookupAttribute[]; insights: boolean }): boolean {
  return keys.inEventHistory && keys.isInsight === filter.insights && filter.attributes.every((a) => matchesAttribute(keys, a));
}
