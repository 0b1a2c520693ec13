/** The caller's organization and role in it, read from the identity store, for organization trails. */
import type { OperationContext } from '../../../../api/operation-context.js';
import { organizationRole } from '../../../../core/organization-trails.js';
import type { OrganizationStanding } from '../../../../core/organization-trails.js';

export async function organizationStanding(accountId: string, context: OperationContext): Promise<OrganizationStanding | undefined> {
  const store = context.services.identity.store;
  const organization = await store.organizationOfAccount(accountId);
  if (organization === undefined) return undefined;
  return { organization, role: organizationRole(accountId, organization, await store.listDelegatedAdmins(organization.orgId)) };
}

/** The calling account's standing in its organization. */
export async function callerStanding(context: OperationContext): Promise<OrganizationStanding | undefined> {
  return organizationStanding(context.caller.accountId, context);
}
