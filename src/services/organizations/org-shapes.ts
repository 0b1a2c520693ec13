/** The Organizations model's output structures, built from the identity store's records. */
import type { CreateAccountRequest, DelegatedAdmin, Organization, OrganizationAccount } from '../../iam/identity-store.js';
import type {
  Account,
  CreateAccountStatus,
  DelegatedAdministrator,
  Organization as OrganizationShape,
  PolicyTypeSummary,
  Root,
} from './model.gen.js';
import { organizationAccountArn, organizationArn, rootArn, rootIdOf } from './org-ids.js';

/** Epoch seconds, the JSON 1.1 form of a timestamp. */
export function epochSeconds(timeMs: number): number {
  return timeMs / 1000;
}

/**
 * With all features, service control policies are available to the organization (though not
 * yet enabled on its root); consolidated billing offers no policy types.
 */
function availablePolicyTypes(org: Organization): PolicyTypeSummary[] {
  return org.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [];
}

export function organizationShape(org: Organization, management: OrganizationAccount | undefined): OrganizationShape {
  return {
    Id: org.orgId,
    Arn: organizationArn(org.managementAccountId, org.orgId),
    FeatureSet: org.featureSet,
    MasterAccountArn: organizationAccountArn(org.managementAccountId, org.orgId, org.managementAccountId),
    MasterAccountId: org.managementAccountId,
    ...(management !== undefined && { MasterAccountEmail: management.email }),
    AvailablePolicyTypes: availablePolicyTypes(org),
  };
}

export function accountShape(org: Organization, account: OrganizationAccount): Account {
  return {
    Id: account.accountId,
    Arn: organizationAccountArn(org.managementAccountId, org.orgId, account.accountId),
    Email: account.email,
    Name: account.name,
    // Accounts are never suspended or closed here: CloseAccount is not supported.
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: epochSeconds(account.joinedAt),
  };
}

export function rootShape(org: Organization): Root {
  return { Id: rootIdOf(org.orgId), Arn: rootArn(org.managementAccountId, org.orgId), Name: 'Root', PolicyTypes: [] };
}

export function createAccountStatusShape(request: CreateAccountRequest): CreateAccountStatus {
  return {
    Id: request.requestId,
    AccountName: request.accountName,
    State: request.state,
    RequestedTimestamp: epochSeconds(request.requestedAt),
    ...(request.completedAt !== undefined && { CompletedTimestamp: epochSeconds(request.completedAt) }),
    ...(request.accountId !== undefined && { AccountId: request.accountId }),
    ...(request.failureReason !== undefined && { FailureReason: request.failureReason as CreateAccountStatus['FailureReason'] }),
  };
}

/** An account as a delegated administrator: since its first registration, for any service. */
export function delegatedAdministratorShape(org: Organization, account: OrganizationAccount, registrations: readonly DelegatedAdmin[]): DelegatedAdministrator {
  const since = Math.min(...registrations.map((r) => r.registeredAt));
  return { ...accountShape(org, account), DelegationEnabledDate: epochSeconds(since) };
}
