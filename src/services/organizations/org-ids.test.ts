/** Ids and ARNs have the formats of the model's patterns. */
import { expect, it } from 'vitest';
import { compileModelPattern } from '../../api/model/model-pattern.js';
import { shapes } from './model.gen.js';
import { newCreateAccountRequestId, newOrganizationId, organizationAccountArn, organizationArn, rootArn, rootIdOf } from './org-ids.js';

function matchesShape(shape: keyof typeof shapes, value: string): boolean {
  const pattern = (shapes[shape] as { pattern?: string }).pattern;
  if (pattern === undefined) throw new Error(`${shape} has no pattern`);
  return compileModelPattern(pattern).test(value);
}

it('organization ids are o- and 10 lower-case letters or digits, and differ', () => {
  const ids = Array.from({ length: 50 }, newOrganizationId);
  for (const id of ids) {
    expect(id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(matchesShape('OrganizationId', id)).toBe(true);
  }
  expect(new Set(ids).size).toBe(ids.length);
});

it('create account request ids are car- and 32 lower-case letters or digits', () => {
  for (let i = 0; i < 50; i++) {
    const id = newCreateAccountRequestId();
    expect(id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(matchesShape('CreateAccountRequestId', id)).toBe(true);
  }
});

it('the root id is r- and 4 characters, the same for the same organization', () => {
  const org = newOrganizationId();
  expect(rootIdOf(org)).toMatch(/^r-[a-z0-9]{4}$/);
  expect(matchesShape('RootId', rootIdOf(org))).toBe(true);
  expect(rootIdOf(org)).toBe(rootIdOf(org));
});

it('ARNs name the management account and the organization', () => {
  const org = 'o-abcdefghij';
  expect(organizationArn('111122223333', org)).toBe('arn:aws:organizations::111122223333:organization/o-abcdefghij');
  expect(matchesShape('OrganizationArn', organizationArn('111122223333', org))).toBe(true);
  expect(organizationAccountArn('111122223333', org, '444455556666')).toBe('arn:aws:organizations::111122223333:account/o-abcdefghij/444455556666');
  expect(matchesShape('AccountArn', organizationAccountArn('111122223333', org, '444455556666'))).toBe(true);
  expect(rootArn('111122223333', org)).toBe(`arn:aws:organizations::111122223333:root/o-abcdefghij/${rootIdOf(org)}`);
  expect(matchesShape('RootArn', rootArn('111122223333', org))).toBe(true);
});
