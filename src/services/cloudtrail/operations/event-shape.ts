/** The Event shape of LookupEvents and ListInsightsData, built from a stored record's JSON. */
import { lookupKeysOf } from '../../../core/lookup-keys.js';
import type { CloudTrailRecord } from '../../../core/record.js';
import type { Event } from '../model.gen.js';

export function toEvent(json: string): Event {
  return eventOf(JSON.parse(json) as CloudTrailRecord, json);
}

/** The Event of an already parsed record whose text is `json`. */
export function eventOf(record: CloudTrailRecord, json: string): Event {
  const keys = lookupKeysOf(record);
  return {
    EventId: keys.eventId,
    ...(keys.eventName !== null && { EventName: keys.eventName }),
    ...(keys.readOnly !== null && { ReadOnly: keys.readOnly }),
    ...(keys.accessKeyId !== null && { AccessKeyId: keys.accessKeyId }),
    EventTime: keys.eventTimeMs / 1000,
    ...(keys.eventSource !== null && { EventSource: keys.eventSource }),
    ...(keys.username !== null && { Username: keys.username }),
    Resources: keys.resources.map((r) => ({
      ...(r.type !== null && { ResourceType: r.type }),
      ...(r.name !== null && { ResourceName: r.name }),
    })),
    CloudTrailEvent: json,
  };
}
