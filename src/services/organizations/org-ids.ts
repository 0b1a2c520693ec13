/**
 * Identifiers and ARNs of Organizations, in AWS's formats: organization `o-` and 10 lower-case
 * letters or digits, root `r-` and 4, CreateAccount request `car-` and 32, all drawn from
 * node:crypto. ARNs name the management account and the organization.
 */
import { createHash, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomLowerAlnum(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += LOWER_ALNUM[randomInt(LOWER_ALNUM.length)];
  return text;
}

export function newOrganizationId(): string {
  return `o-${randomLowerAlnum(10)}`;
}

export function newCreateAccountRequestId(): string {
  return `car-${randomLowerAlnum(32)}`;
}

/**
 * An organization has exactly one root, made with it and never changed, so its id is derived
 * from the organization's id rather than stored: the same organization always shows the same root.
 */
export function rootIdOf(orgId: string): string {
  const digest = createHash('sha256').update(`root:${orgId}`).digest();
  let id = 'r-';
  for (let i = 0; i < 4; i++) id += LOWER_ALNUM[digest[i]! % LOWER_ALNUM.length];
  return id;
}

export function organizationArn(managementAccountId: string, orgId: string): string {
  return `arn:aws:organizations::${managementAccountId}:organization/${orgId}`;
}

export function organizationAccountArn(managementAccountId: string, orgId: string, accountId: string): string {
  return `arn:aws:organizations::${managementAccountId}:account/${orgId}/${accountId}`;
}

export function rootArn(managementAccountId: string, orgId: string): string {
  return `arn:aws:organizations::${managementAccountId}:root/${orgId}/${rootIdOf(orgId)}`;
}
