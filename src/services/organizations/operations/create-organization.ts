/**
 * CreateOrganization: the caller's account becomes the management account of a new
 * organization (all features unless FeatureSet says CONSOLIDATED_BILLING). An account already in
 * an organization, as management account or member, cannot create another.
 */
import type { Organization, OrganizationAccount } from '../../../iam/identity-store.js';
import { orgErrors } from '../org-errors.js';
import { newOrganizationId } from '../org-ids.js';
import { organizationShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

/**
 * OpenTrail's accounts have no e-mail address of their own (CreateOrganization takes none), yet
 * the organization names its management account's; this stands in for it, in a reserved domain
 * (RFC 2606) so it can never reach anyone.
 */
export function managementAccountEmail(accountId: string): string {
  return `management+${accountId}@opentrail.invalid`;
}

export const createOrganization: OperationSpec<'CreateOrganization'> = {
  async handle(input, context) {
    const store = context.services.identity.store;
    const accountId = context.caller.accountId;
    if ((await store.organizationOfAccount(accountId)) !== undefined) throw orgErrors.alreadyInOrganization();
    const account = await store.getAccount(accountId);
    const organization: Organization = {
      orgId: newOrganizationId(),
      managementAccountId: accountId,
      featureSet: input.FeatureSet ?? 'ALL',
      createdAt: context.nowMs,
    };
    const managementAccount: OrganizationAccount = {
      orgId: organization.orgId,
      accountId,
      name: account?.name ?? accountId,
      email: managementAccountEmail(accountId),
      // As in AWS, the management account counts as having joined its own organization.
      joinedMethod: 'INVITED',
      joinedAt: context.nowMs,
    };
    // Two concurrent calls from one account: the second finds the account taken at commit.
    context.stage({ kind: 'createOrganization', organization, managementAccount }, { exists: orgErrors.alreadyInOrganization() });
    return { Organization: organizationShape(organization, managementAccount) };
  },
};
