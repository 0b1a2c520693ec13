/**
 * IAM's paging: `MaxItems` (1-1000, default 100) items per answer, `IsTruncated` when more
 * follow, and then a `Marker` to ask for them. The marker names the last item answered (by
 * its sort key), not a position, so an item created or deleted between pages neither repeats
 * nor hides another.
 */
import { iamErrors } from './errors.js';

export const DEFAULT_MAX_ITEMS = 100;

export interface PageRequest {
  Marker?: string;
  MaxItems?: number;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

const PREFIX = 'otm1.';

function encodeMarker(key: string): string {
  return PREFIX + Buffer.from(key, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  if (!marker.startsWith(PREFIX) || !/^[A-Za-z0-9_-]*$/.test(marker.slice(PREFIX.length))) throw iamErrors.invalidInput('Invalid Marker.');
  return Buffer.from(marker.slice(PREFIX.length), 'base64url').toString('utf8');
}

/**
 * One page of `items`, which must be sorted by `keyOf` (compared as strings). Keys must be
 * unique: IAM names are unique per account whatever their case, so callers pass lower-cased names.
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  let start = 0;
  if (request.Marker !== undefined) {
    const after = decodeMarker(request.Marker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + maxItems);
  const truncated = start + maxItems < items.length;
  return { items: slice, IsTruncated: truncated, ...(truncated && slice.length > 0 && { Marker: encodeMarker(keyOf(slice[slice.length - 1]!)) }) };
}

/** Sorts by key; the order pages are cut in. */
export function sortedBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
