/**
 * Who may do what with organization trails, as pure rules over an account's organization. An
 * organization trail belongs to the organization's management account; the management account
 * and the accounts registered as CloudTrail delegated administrators manage it; every other
 * account of the organization sees it and may not change it.
 */
import type { DelegatedAdmin, Organization } from '../iam/identity-store.js';

/** The service principal CloudTrail's delegated administrators are registered for. */
export const CLOUDTRAIL_SERVICE_PRINCIPAL = 'cloudtrail.amazonaws.com';

/** CloudTrail lets an organization have at most this many delegated administrators. */
export const MAX_CLOUDTRAIL_DELEGATED_ADMINS = 3;

export interface OrganizationViolation {
  code:
    | 'OrganizationsNotInUseException'
    | 'NotOrganizationMasterAccountException'
    | 'OrganizationNotInAllFeaturesModeException';
  message: string;
}

/** An account's place in its organization, as far as CloudTrail is concerned. */
export type OrganizationRole = 'management' | 'delegated-admin' | 'member';

export interface OrganizationStanding {
  organization: Organization;
  role: OrganizationRole;
}

/** The account's role, from its organization and that organization's delegated administrators. */
export function organizationRole(accountId: string, organization: Organization, admins: readonly DelegatedAdmin[]): OrganizationRole {
  if (organization.managementAccountId === accountId) return 'management';
  const delegated = admins.some((a) => a.accountId === accountId && a.servicePrincipal === CLOUDTRAIL_SERVICE_PRINCIPAL);
  return delegated ? 'delegated-admin' : 'member';
}

const NOT_MANAGEMENT_MESSAGE =
  'You cannot configure or manage trails for an organization because this action requires being signed in with the management account.';

export function notOrganizationMaster(): OrganizationViolation {
  return { code: 'NotOrganizationMasterAccountException', message: NOT_MANAGEMENT_MESSAGE };
}

export function organizationsNotInUse(accountId: string): OrganizationViolation {
  return {
    code: 'OrganizationsNotInUseException',
    message: `Account ${accountId} is not a member of an organization. Organization trails are made and managed from an organization's management account or a delegated administrator.`,
  };
}

/**
 * Whether the caller may make (or turn a trail into) an organization trail; the account that
 * then owns it (the management account, also when a delegated administrator asks).
 */
export function organizationTrailOwner(callerAccountId: string, standing: OrganizationStanding | undefined): { ownerAccountId: string } | OrganizationViolation {
  if (standing === undefined) return organizationsNotInUse(callerAccountId);
  if (standing.role === 'member') return notOrganizationMaster();
  if (standing.organization.featureSet !== 'ALL') {
    return {
      code: 'OrganizationNotInAllFeaturesModeException',
      message: `Organization ${standing.organization.orgId} does not have all features enabled; organization trails need them.`,
    };
  }
  return { ownerAccountId: standing.organization.managementAccountId };
}

/**
 * How an account may use a trail: its owner and the organization's managers (for an
 * organization trail) may change it, the organization's other accounts only see it.
 */
export type TrailAccess = 'manage' | 'view' | 'none';

export function trailAccess(
  trail: { accountId: string; isOrganizationTrail: boolean },
  callerAccountId: string,
  standing: OrganizationStanding | undefined,
): TrailAccess {
  if (trail.accountId === callerAccountId) return 'manage';
  if (!trail.isOrganizationTrail || standing === undefined) return 'none';
  // Only the trails of the caller's own organization: its management account owns them.
  if (standing.organization.managementAccountId !== trail.accountId) return 'none';
  return standing.role === 'member' ? 'view' : 'manage';
}
