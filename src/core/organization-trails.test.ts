import { describe, expect, it } from 'vitest';
import type { DelegatedAdmin, Organization } from '../iam/identity-store.js';
import { CLOUDTRAIL_SERVICE_PRINCIPAL, organizationRole, organizationTrailOwner, trailAccess } from './organization-trails.js';
import type { OrganizationStanding } from './organization-trails.js';

const MANAGEMENT = '111122223333';
const MEMBER = '444455556666';
const ADMIN = '555566667777';
const organization: Organization = { orgId: 'o-abcdefghij', managementAccountId: MANAGEMENT, featureSet: 'ALL', createdAt: 0 };
const admins: DelegatedAdmin[] = [
  { orgId: organization.orgId, accountId: ADMIN, servicePrincipal: CLOUDTRAIL_SERVICE_PRINCIPAL, registeredAt: 0 },
  // A delegated administrator of another service has no say over trails.
  { orgId: organization.orgId, accountId: MEMBER, servicePrincipal: 'guardduty.amazonaws.com', registeredAt: 0 },
];
const standing = (accountId: string, org: Organization = organization): OrganizationStanding => ({ organization: org, role: organizationRole(accountId, org, admins) });

describe('organizationRole', () => {
  it('tells the management account, CloudTrail delegated administrators and members apart', () => {
    expect(organizationRole(MANAGEMENT, organization, admins)).toBe('management');
    expect(organizationRole(ADMIN, organization, admins)).toBe('delegated-admin');
    expect(organizationRole(MEMBER, organization, admins)).toBe('member');
  });
});

describe('organizationTrailOwner', () => {
  it('gives the management account as owner, also when a delegated administrator asks', () => {
    expect(organizationTrailOwner(MANAGEMENT, standing(MANAGEMENT))).toEqual({ ownerAccountId: MANAGEMENT });
    expect(organizationTrailOwner(ADMIN, standing(ADMIN))).toEqual({ ownerAccountId: MANAGEMENT });
  });

  it('refuses an account in no organization, a member, and an organization without all features', () => {
    expect(organizationTrailOwner(MEMBER, undefined)).toMatchObject({ code: 'OrganizationsNotInUseException' });
    expect(organizationTrailOwner(MEMBER, standing(MEMBER))).toMatchObject({ code: 'NotOrganizationMasterAccountException' });
    const billingOnly = { ...organization, featureSet: 'CONSOLIDATED_BILLING' as const };
    expect(organizationTrailOwner(MANAGEMENT, standing(MANAGEMENT, billingOnly))).toMatchObject({ code: 'OrganizationNotInAllFeaturesModeException' });
  });
});

describe('trailAccess', () => {
  const orgTrail = { accountId: MANAGEMENT, isOrganizationTrail: true };
  const plainTrail = { accountId: MANAGEMENT, isOrganizationTrail: false };

  it('lets the owner and delegated administrators manage an organization trail, members only see it', () => {
    expect(trailAccess(orgTrail, MANAGEMENT, undefined)).toBe('manage');
    expect(trailAccess(orgTrail, ADMIN, standing(ADMIN))).toBe('manage');
    expect(trailAccess(orgTrail, MEMBER, standing(MEMBER))).toBe('view');
  });

  it("shows nothing of another account's ordinary trail, nor of another organization's trail", () => {
    expect(trailAccess(plainTrail, MEMBER, standing(MEMBER))).toBe('none');
    expect(trailAccess(plainTrail, ADMIN, standing(ADMIN))).toBe('none');
    expect(trailAccess(orgTrail, MEMBER, undefined)).toBe('none');
    const other = { ...organization, orgId: 'o-otherorgxyz', managementAccountId: '999988887777' };
    expect(trailAccess(orgTrail, MEMBER, standing(MEMBER, other))).toBe('none');
  });
});
