/**
 * Delegated administrators: the management account registers a member account as the
 * administrator of an AWS service for the organization (CloudTrail's organization trails use
 * `cloudtrail.amazonaws.com`). A delegated administrator may then read the organization's
 * accounts and structure (see ../org-access.ts).
 */
import type { DelegatedAdmin } from '../../../iam/identity-store.js';
import { accountOfOrganization, managementOrganization, readableOrganization } from '../org-access.js';
import { orgErrors } from '../org-errors.js';
import { pageOf, timeKey } from '../org-paging.js';
import { delegatedAdministratorShape, epochSeconds } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

/** Service principals are AWS services' (`<name>.amazonaws.com`); anything else is not a service. */
function checkServicePrincipal(servicePrincipal: string): void {
  if (!/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/.test(servicePrincipal)) {
    throw orgErrors.invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', 'You specified an unrecognized service principal.');
  }
}

export const registerDelegatedAdministrator: OperationSpec<'RegisterDelegatedAdministrator'> = {
  async handle(input, context) {
    const org = await managementOrganization(context, 'RegisterDelegatedAdministrator');
    checkServicePrincipal(input.ServicePrincipal);
    const store = context.services.identity.store;
    const account = await accountOfOrganization(context, org, input.AccountId);
    if (account.accountId === org.managementAccountId) {
      throw orgErrors.constraintViolation(
        'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR',
        'You cannot register the management account of the organization as a delegated administrator for a service.',
      );
    }
    const admins = await store.listDelegatedAdmins(org.orgId);
    if (admins.some((a) => a.accountId === input.AccountId && a.servicePrincipal === input.ServicePrincipal)) throw orgErrors.accountAlreadyRegistered();
    const admin: DelegatedAdmin = { orgId: org.orgId, accountId: input.AccountId, servicePrincipal: input.ServicePrincipal, registeredAt: context.nowMs };
    context.stage({ kind: 'registerDelegatedAdmin', admin }, { exists: orgErrors.accountAlreadyRegistered() });
    return {};
  },
};

export const deregisterDelegatedAdministrator: OperationSpec<'DeregisterDelegatedAdministrator'> = {
  async handle(input, context) {
    const org = await managementOrganization(context, 'DeregisterDelegatedAdministrator');
    checkServicePrincipal(input.ServicePrincipal);
    const store = context.services.identity.store;
    await accountOfOrganization(context, org, input.AccountId);
    const admins = await store.listDelegatedAdmins(org.orgId);
    if (!admins.some((a) => a.accountId === input.AccountId && a.servicePrincipal === input.ServicePrincipal)) throw orgErrors.accountNotRegistered();
    context.stage(
      { kind: 'deregisterDelegatedAdmin', orgId: org.orgId, accountId: input.AccountId, servicePrincipal: input.ServicePrincipal },
      { missing: orgErrors.accountNotRegistered() },
    );
    return {};
  },
};

export const listDelegatedAdministrators: OperationSpec<'ListDelegatedAdministrators'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'ListDelegatedAdministrators');
    const store = context.services.identity.store;
    const registrations = (await store.listDelegatedAdmins(org.orgId)).filter(
      (a) => input.ServicePrincipal === undefined || a.servicePrincipal === input.ServicePrincipal,
    );
    const byAccount = new Map<string, DelegatedAdmin[]>();
    for (const r of registrations) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
    const accounts = (await store.listOrganizationAccounts(org.orgId)).filter((a) => byAccount.has(a.accountId));
    const page = pageOf(`ListDelegatedAdministrators:${input.ServicePrincipal ?? ''}`, accounts, (a) => timeKey(a.joinedAt, a.accountId), input);
    return {
      DelegatedAdministrators: page.items.map((a) => delegatedAdministratorShape(org, a, byAccount.get(a.accountId)!)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};

export const listDelegatedServicesForAccount: OperationSpec<'ListDelegatedServicesForAccount'> = {
  async handle(input, context) {
    const org = await readableOrganization(context, 'ListDelegatedServicesForAccount');
    const store = context.services.identity.store;
    await accountOfOrganization(context, org, input.AccountId);
    const services = (await store.listDelegatedAdmins(org.orgId)).filter((a) => a.accountId === input.AccountId);
    if (services.length === 0) throw orgErrors.accountNotRegistered();
    const page = pageOf(`ListDelegatedServicesForAccount:${input.AccountId}`, services, (s) => s.servicePrincipal, input);
    return {
      DelegatedServices: page.items.map((s) => ({ ServicePrincipal: s.servicePrincipal, DelegationEnabledDate: epochSeconds(s.registeredAt) })),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};
