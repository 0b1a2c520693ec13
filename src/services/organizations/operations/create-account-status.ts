/** DescribeCreateAccountStatus and ListCreateAccountStatus: the management account's requests. */
import { managementOrganization } from '../org-access.js';
import { orgErrors } from '../org-errors.js';
import { pageOf, timeKey } from '../org-paging.js';
import { createAccountStatusShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const describeCreateAccountStatus: OperationSpec<'DescribeCreateAccountStatus'> = {
  async handle(input, context) {
    const org = await managementOrganization(context, 'DescribeCreateAccountStatus');
    const request = await context.services.identity.store.getCreateAccountRequest(input.CreateAccountRequestId);
    if (request === undefined || request.orgId !== org.orgId) throw orgErrors.createAccountStatusNotFound();
    return { CreateAccountStatus: createAccountStatusShape(request) };
  },
};

export const listCreateAccountStatus: OperationSpec<'ListCreateAccountStatus'> = {
  async handle(input, context) {
    const org = await managementOrganization(context, 'ListCreateAccountStatus');
    const states = input.States !== undefined && input.States.length > 0 ? new Set<string>(input.States) : undefined;
    const requests = (await context.services.identity.store.listCreateAccountRequests(org.orgId)).filter((r) => states === undefined || states.has(r.state));
    const list = `ListCreateAccountStatus:${states === undefined ? '' : [...states].sort().join(',')}`;
    const page = pageOf(list, requests, (r) => timeKey(r.requestedAt, r.requestId), input);
    return {
      CreateAccountStatuses: page.items.map(createAccountStatusShape),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};
