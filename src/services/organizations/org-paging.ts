/**
 * Paging of Organizations' list operations: MaxResults (1-20, the model's bounds, checked
 * before a handler runs) and an opaque NextToken. The token carries the sort key of the last
 * item shown, so a page continues after it even when items were added meanwhile, and the
 * operation it belongs to, since a token is only valid for the list that issued it.
 */
import { orgErrors } from './org-errors.js';

const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encodeToken(list: string, lastKey: string): string {
  return Buffer.from(JSON.stringify([1, list, lastKey])).toString('base64url');
}

function decodeToken(list: string, token: string): string {
  let value: unknown;
  try {
    if (token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not a token');
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw orgErrors.invalidNextToken();
  }
  if (!Array.isArray(value) || value.length !== 3 || value[0] !== 1 || value[1] !== list || typeof value[2] !== 'string') {
    throw orgErrors.invalidNextToken();
  }
  return value[2];
}

/**
 * One page of `items` in the order of `keyOf` (unique per item). `list` names the list and its
 * filters, e.g. `ListAccounts` or `ListCreateAccountStatus:SUCCEEDED`.
 */
export function pageOf<T>(list: string, items: readonly T[], keyOf: (item: T) => string, input: { NextToken?: string; MaxResults?: number }): Page<T> {
  const size = input.MaxResults ?? DEFAULT_PAGE_SIZE;
  const after = input.NextToken === undefined ? undefined : decodeToken(list, input.NextToken);
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((entry) => entry.key > after);
  const shown = rest.slice(0, size);
  const page: Page<T> = { items: shown.map((entry) => entry.item) };
  if (rest.length > size) page.nextToken = encodeToken(list, shown[shown.length - 1]!.key);
  return page;
}

/** A sort key of a time and an id that sorts as the pair does. */
export function timeKey(timeMs: number, id: string): string {
  return `${String(Math.max(0, Math.trunc(timeMs))).padStart(16, '0')}/${id}`;
}
