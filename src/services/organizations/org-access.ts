/**
 * Who may call what in an organization. Every operation but CreateOrganization needs the
 * caller's account to be in an organization (AWSOrganizationsNotInUseException otherwise).
 * Changes are the management account's alone; reading the organization's structure is open to
 * the management account and to delegated administrators, as in AWS; DescribeOrganization to
 * every member.
 */
import type { OperationContext } from '../../api/operation-context.js';
import type { Organization, OrganizationAccount } from '../../iam/identity-store.js';
import { orgErrors } from './org-errors.js';

export async function callerOrganization(context: OperationContext): Promise<Organization> {
  const org = await context.services.identity.store.organizationOfAccount(context.caller.accountId);
  if (org === undefined) throw orgErrors.notInUse();
  return org;
}

export function isManagementAccount(org: Organization, accountId: string): boolean {
  return org.managementAccountId === accountId;
}

/** Operations that change the organization: the management account only. */
export async function managementOrganization(context: OperationContext, operation: string): Promise<Organization> {
  const org = await callerOrganization(context);
  if (!isManagementAccount(org, context.caller.accountId)) throw orgErrors.notManagement(context.caller.arn, operation);
  return org;
}

/** Operations that read the organization's accounts and structure. */
export async function readableOrganization(context: OperationContext, operation: string): Promise<Organization> {
  const org = await callerOrganization(context);
  if (isManagementAccount(org, context.caller.accountId)) return org;
  const admins = await context.services.identity.store.listDelegatedAdmins(org.orgId);
  if (admins.some((a) => a.accountId === context.caller.accountId)) return org;
  throw orgErrors.notManagement(context.caller.arn, operation);
}

/** An account of `org` named in a request: one that is not in this organization is not found, as in AWS. */
export async function accountOfOrganization(context: OperationContext, org: Organization, accountId: string): Promise<OrganizationAccount> {
  const account = await context.services.identity.store.getOrganizationAccount(accountId);
  if (account === undefined || account.orgId !== org.orgId) throw orgErrors.accountNotFound();
  return account;
}
