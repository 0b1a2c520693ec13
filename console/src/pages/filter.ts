// The event history's filter: attribute rows (ANDed) and a time range, as drafted in the form and
// as the LookupEvents query it becomes.
import type { EventQuery, LookupAttribute, LookupKey } from '../types';
import { fromLocalInput, nowSeconds } from '../format';

export const PRESETS = [
  { id: '1h', label: 'Last 1 hour', seconds: 3600 },
  { id: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { id: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
  { id: '30d', label: 'Last 30 days', seconds: 30 * 86_400 },
  { id: '90d', label: 'Last 90 days', seconds: 90 * 86_400 },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];

export interface FilterRow {
  id: number;
  key: LookupKey;
  value: string;
}

export interface FilterDraft {
  rows: FilterRow[];
  range: PresetId | 'custom';
  from: string;
  to: string;
}

/** The most attributes one LookupEvents takes here. */
export const MAX_ATTRIBUTES = 8;

let nextRowId = 1;
export function newRow(key: LookupKey = 'EventName', value = ''): FilterRow {
  return { id: nextRowId++, key, value };
}

export function initialDraft(): FilterDraft {
  return { rows: [newRow()], range: '24h', from: '', to: '' };
}

/** The query for a draft: rows with a value, and the range resolved against now (StartTime and EndTime always set, for the volume chart). */
export function queryOf(draft: FilterDraft, now = nowSeconds()): Required<Pick<EventQuery, 'StartTime' | 'EndTime'>> & EventQuery {
  const attributes: LookupAttribute[] = draft.rows
    .filter((r) => r.value.trim() !== '')
    .map((r) => ({ AttributeKey: r.key, AttributeValue: r.value.trim() }));
  let start: number;
  let end: number;
  if (draft.range === 'custom') {
    end = fromLocalInput(draft.to) ?? now;
    start = fromLocalInput(draft.from) ?? end - 90 * 86_400;
  } else {
    const preset = PRESETS.find((p) => p.id === draft.range) ?? PRESETS[1];
    end = now;
    start = now - preset.seconds;
  }
  return { ...(attributes.length > 0 ? { LookupAttributes: attributes } : {}), StartTime: start, EndTime: end };
}
