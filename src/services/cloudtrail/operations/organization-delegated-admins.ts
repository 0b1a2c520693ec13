/**
 * RegisterOrganizationDelegatedAdmin, DeregisterOrganizationDelegatedAdmin: the management
 * account of an organization names member accounts that may then make and manage its
 * organization trails (which still belong to the management account). Staged as the identity
 * changes registerDelegatedAdmin / deregisterDelegatedAdmin for cloudtrail.amazonaws.com.
 */
import { clientError } from '../../../api/errors.js';
import type { OperationContext } from '../../../api/operation-context.js';
import { CLOUDTRAIL_SERVICE_PRINCIPAL, MAX_CLOUDTRAIL_DELEGATED_ADMINS, organizationsNotInUse } from '../../../core/organization-trails.js';
import type { DelegatedAdmin, Organization } from '../../../iam/identity-store.js';
import type { OperationSpec } from './operation-spec.js';

/** The model's AccountId: 12 to 16 digits (the validator leaves patterns and lengths to handlers). */
const ACCOUNT_ID = /^\d{12,16}$/;

function checkAccountId(member: string, value: string): void {
  if (!ACCOUNT_ID.test(value)) throw clientError('InvalidParameterException', `${member} must be an account ID of 12 to 16 digits; got ${JSON.stringify(value)}.`);
}

/** The caller's organization, which it must manage, with all features (else CloudTrail's errors). */
async function managedOrganization(context: OperationContext): Promise<Organization> {
  const { accountId } = context.caller;
  const organization = await context.services.identity.store.organizationOfAccount(accountId);
  if (organization === undefined) {
    const refused = organizationsNotInUse(accountId);
    throw clientError(refused.code, refused.message);
  }
  if (organization.managementAccountId !== accountId) {
    throw clientError('NotOrganizationManagementAccountException', `Account ${accountId} is not the management account of organization ${organization.orgId}; only the management account manages CloudTrail delegated administrators.`);
  }
  if (organization.featureSet !== 'ALL') {
    throw clientError('OrganizationNotInAllFeaturesModeException', `Organization ${organization.orgId} does not have all features enabled; CloudTrail delegated administrators need them.`);
  }
  return organization;
}

async function memberOf(organization: Organization, accountId: string, context: OperationContext): Promise<void> {
  const member = await context.services.identity.store.getOrganizationAccount(accountId);
  if (member?.orgId !== organization.orgId) {
    throw clientError('AccountNotFoundException', `Account ${accountId} is not a member of organization ${organization.orgId}.`);
  }
}

async function cloudTrailAdmins(organization: Organization, context: OperationContext): Promise<DelegatedAdmin[]> {
  const admins = await context.services.identity.store.listDelegatedAdmins(organization.orgId);
  return admins.filter((a) => a.servicePrincipal === CLOUDTRAIL_SERVICE_PRINCIPAL);
}

export const registerOrganizationDelegatedAdmin: OperationSpec<'RegisterOrganizationDelegatedAdmin'> = {
  async handle(input, context) {
    checkAccountId('MemberAccountId', input.MemberAccountId);
    const organization = await managedOrganization(context);
    const accountId = input.MemberAccountId;
    if (accountId === organization.managementAccountId) {
      throw clientError('CannotDelegateManagementAccountException', `Account ${accountId} is the management account of organization ${organization.orgId}; it cannot be its own delegated administrator.`);
    }
    await memberOf(organization, accountId, context);
    const admins = await cloudTrailAdmins(organization, context);
    const registered = clientError('AccountRegisteredException', `Account ${accountId} is already registered as a CloudTrail delegated administrator.`);
    if (admins.some((a) => a.accountId === accountId)) throw registered;
    if (admins.length >= MAX_CLOUDTRAIL_DELEGATED_ADMINS) {
      throw clientError('DelegatedAdminAccountLimitExceededException', `Organization ${organization.orgId} already has ${admins.length} CloudTrail delegated administrators, the most it may have.`);
    }
    context.stage(
      { kind: 'registerDelegatedAdmin', admin: { orgId: organization.orgId, accountId, servicePrincipal: CLOUDTRAIL_SERVICE_PRINCIPAL, registeredAt: context.nowMs } },
      { exists: registered },
    );
    return {};
  },
};

export const deregisterOrganizationDelegatedAdmin: OperationSpec<'DeregisterOrganizationDelegatedAdmin'> = {
  async handle(input, context) {
    checkAccountId('DelegatedAdminAccountId', input.DelegatedAdminAccountId);
    const organization = await managedOrganization(context);
    const accountId = input.DelegatedAdminAccountId;
    await memberOf(organization, accountId, context);
    const notRegistered = clientError('AccountNotRegisteredException', `Account ${accountId} is not registered as a CloudTrail delegated administrator.`);
    if (!(await cloudTrailAdmins(organization, context)).some((a) => a.accountId === accountId)) throw notRegistered;
    context.stage({ kind: 'deregisterDelegatedAdmin', orgId: organization.orgId, accountId, servicePrincipal: CLOUDTRAIL_SERVICE_PRINCIPAL }, { missing: notRegistered });
    return {};
  },
};
