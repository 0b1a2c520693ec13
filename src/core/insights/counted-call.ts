/**
 * What the detector counts of a record: which API it is a call to (management or data), whether
 * it is a write, and how it failed. Records it does not count: Insights records themselves,
 * network activity, custom and unclassifiable events, and records without an API name.
 */
import type { CloudTrailRecord } from '../record.js';
import { eventKindOf, readOnlyOf } from '../selectors/classify.js';
import type { InsightCategory, InsightType } from './insight-types.js';

export interface CountedCall {
  category: InsightCategory;
  eventSource: string;
  eventName: string;
  /**
   * Counted by ApiCallRateInsight: management write calls (CloudTrail's rule; a record without
   * readOnly counts as a write), and every data event.
   */
  countsAsCall: boolean;
  /** The errorCode of a failed call. */
  errorCode?: string;
}

export function countedCall(record: CloudTrailRecord): CountedCall | undefined {
  const kind = eventKindOf(record);
  if (kind !== 'management' && kind !== 'data') return undefined;
  const { eventSource, eventName } = record;
  if (typeof eventSource !== 'string' || eventSource === '' || typeof eventName !== 'string' || eventName === '') return undefined;
  const errorCode = record.errorCode;
  return {
    category: kind === 'management' ? 'Management' : 'Data',
    eventSource,
    eventName,
    countsAsCall: kind === 'data' || readOnlyOf(record) !== true,
    ...(typeof errorCode === 'string' && errorCode !== '' && { errorCode }),
  };
}

/** Whether the call is one the insight type counts. */
export function countedBy(call: CountedCall, type: InsightType): boolean {
  return type === 'ApiCallRateInsight' ? call.countsAsCall : call.errorCode !== undefined;
}
