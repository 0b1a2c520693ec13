/** Paging: pages follow the sort key, tokens belong to their list, bad tokens are InvalidInputException. */
import { expect, it } from 'vitest';
import { ServiceError } from '../../api/errors.js';
import { pageOf, timeKey } from './org-paging.js';

const items = Array.from({ length: 7 }, (_, i) => ({ id: `acct-${i}`, at: 1000 + (i % 3) }));
const keyOf = (item: { id: string; at: number }) => timeKey(item.at, item.id);

it('walks every item once, in key order, MaxResults at a time', () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = pageOf('L', items, keyOf, { MaxResults: 3, ...(token !== undefined && { NextToken: token }) });
    expect(page.items.length).toBeLessThanOrEqual(3);
    seen.push(...page.items.map((i) => i.id));
    token = page.nextToken;
  } while (token !== undefined);
  expect(seen).toEqual([...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)).map((i) => i.id));
});

it('a page after an item added meanwhile neither repeats nor skips the others', () => {
  const first = pageOf('L', items, keyOf, { MaxResults: 2 });
  const later = [...items, { id: 'acct-new', at: 5000 }];
  const rest = pageOf('L', later, keyOf, { MaxResults: 20, NextToken: first.nextToken! });
  expect([...first.items, ...rest.items].map((i) => i.id).sort()).toEqual(later.map((i) => i.id).sort());
});

it('no NextToken on the last page; 20 items by default', () => {
  expect(pageOf('L', items, keyOf, {}).nextToken).toBeUndefined();
  const many = Array.from({ length: 25 }, (_, i) => ({ id: `a${String(i).padStart(2, '0')}`, at: 1 }));
  expect(pageOf('L', many, keyOf, {}).items).toHaveLength(20);
});

it('refuses a token of another list, or no token of ours, with InvalidInputException INVALID_NEXT_TOKEN', () => {
  const token = pageOf('L', items, keyOf, { MaxResults: 1 }).nextToken!;
  for (const bad of [token.slice(0, -2), 'not a token', 'eyJ9', Buffer.from('[1,"L",3]').toString('base64url')]) {
    expect(() => pageOf('L', items, keyOf, { NextToken: bad })).toThrow(ServiceError);
  }
  try {
    pageOf('Other', items, keyOf, { NextToken: token });
    expect.unreachable();
  } catch (error) {
    expect((error as ServiceError).code).toBe('InvalidInputException');
    expect((error as ServiceError).fields).toEqual({ Reason: 'INVALID_NEXT_TOKEN' });
  }
});
