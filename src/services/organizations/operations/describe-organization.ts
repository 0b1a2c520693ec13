/** DescribeOrganization: open to every account of the organization, members included. */
import { callerOrganization } from '../org-access.js';
import { organizationShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const describeOrganization: OperationSpec<'DescribeOrganization'> = {
  async handle(_input, context) {
    const org = await callerOrganization(context);
    const management = await context.services.identity.store.getOrganizationAccount(org.managementAccountId);
    return { Organization: organizationShape(org, management) };
  },
};
