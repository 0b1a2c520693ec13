/** ListAccounts and DescribeAccount: the management account and delegated administrators. */
import { accountOfOrganization, readableOrganization } from '../org-access.js';
import { pageOf, timeKey } from '../org-paging.js';
import { accountShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const listAccounts: OperationSpec<'ListAccounts'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'ListAccounts');
    const accounts = await context.services.identity.store.listOrganizationAccounts(org.orgId);
    const page = pageOf('ListAccounts', accounts, (a) => timeKey(a.joinedAt, a.accountId), input);
    return { Accounts: page.items.map((a) => accountShape(org, a)), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
  },
};

export const describeAccount: OperationSpec<'DescribeAccount'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'DescribeAccount');
    const account = await accountOfOrganization(context, org, input.AccountId);
    return { Account: accountShape(org, account) };
  },
};
