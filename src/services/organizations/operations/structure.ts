/**
 * The organization's tree, which here is flat: one root with every account directly under it,
 * and no organizational units (CreateOrganizationalUnit is not supported). ListRoots, ListParents,
 * ListChildren, ListAccountsForParent and ListOrganizationalUnitsForParent answer from that.
 */
import type { OperationContext } from '../../../api/operation-context.js';
import type { Organization, OrganizationAccount } from '../../../iam/identity-store.js';
import { readableOrganization } from '../org-access.js';
import { orgErrors } from '../org-errors.js';
import { rootIdOf } from '../org-ids.js';
import { pageOf, timeKey } from '../org-paging.js';
import { accountShape, rootShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

/** The organization and its accounts, when `parentId` is its root (the only parent there is). */
async function childrenOfRoot(context: OperationContext, operation: string, parentId: string): Promise<{ org: Organization; accounts: OrganizationAccount[] }> {
  const org = await readableOrganization(context, operation);
  if (parentId !== rootIdOf(org.orgId)) throw orgErrors.parentNotFound();
  return { org, accounts: await context.services.identity.store.listOrganizationAccounts(org.orgId) };
}

const accountKey = (a: OrganizationAccount) => timeKey(a.joinedAt, a.accountId);

export const listRoots: OperationSpec<'ListRoots'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'ListRoots');
    const page = pageOf('ListRoots', [rootShape(org)], (r) => r.Id!, input);
    return { Roots: page.items, ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
  },
};

export const listParents: OperationSpec<'ListParents'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'ListParents');
    const child = await context.services.identity.store.getOrganizationAccount(input.ChildId);
    if (child === undefined || child.orgId !== org.orgId) throw orgErrors.childNotFound();
    const page = pageOf(`ListParents:${input.ChildId}`, [{ Id: rootIdOf(org.orgId), Type: 'ROOT' as const }], (p) => p.Id, input);
    return { Parents: page.items, ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
  },
};

export const listOrganizationalUnitsForParent: OperationSpec<'ListOrganizationalUnitsForParent'> = {
  async handle(input, context) {
    await childrenOfRoot(context, 'ListOrganizationalUnitsForParent', input.ParentId);
    pageOf(`ListOrganizationalUnitsForParent:${input.ParentId}`, [], () => '', input);
    return { OrganizationalUnits: [] };
  },
};

export const listChildren: OperationSpec<'ListChildren'> = {
  async handle(input, context) {
    const { accounts } = await childrenOfRoot(context, 'ListChildren', input.ParentId);
    const children = input.ChildType === 'ACCOUNT' ? accounts : [];
    const page = pageOf(`ListChildren:${input.ParentId}:${input.ChildType}`, children, accountKey, input);
    return {
      Children: page.items.map((a) => ({ Id: a.accountId, Type: 'ACCOUNT' as const })),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};

export const listAccountsForParent: OperationSpec<'ListAccountsForParent'> = {
  async handle(input, context) {
    const { org, accounts } = await childrenOfRoot(context, 'ListAccountsForParent', input.ParentId);
    const page = pageOf(`ListAccountsForParent:${input.ParentId}`, accounts, accountKey, input);
    return { Accounts: page.items.map((a) => accountShape(org, a)), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
  },
};
