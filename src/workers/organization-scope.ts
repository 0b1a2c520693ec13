/**
 * Which accounts an organization trail logs, read from the identity store when delivery and
 * digests run: its owner's organization, each account from the time it joined. Accounts only
 * ever join, so a batch redone after a crash sees the accounts it saw, or more that joined
 * after it was planned, whose earlier events it leaves out by their join time.
 */
import type { OrganizationScope } from '../core/delivery-plan.js';
import type { IdentityStore } from '../iam/identity-store.js';
import type { Trail } from '../store/trail-store.js';

/** What the workers read of organizations. */
export type OrganizationDirectory = Pick<IdentityStore, 'organizationOfAccount' | 'listOrganizationAccounts'>;

/**
 * The organization an organization trail logs; undefined for any other trail, and for an
 * organization trail whose owner is in no organization (it then logs its own account).
 */
export async function organizationScope(trail: Trail, directory: OrganizationDirectory): Promise<OrganizationScope | undefined> {
  if (trail.config.IsOrganizationTrail !== true) return undefined;
  const organization = await directory.organizationOfAccount(trail.accountId);
  // Only the management account's organization trails log the organization.
  if (organization === undefined || organization.managementAccountId !== trail.accountId) return undefined;
  const joinedAt = new Map((await directory.listOrganizationAccounts(organization.orgId)).map((a) => [a.accountId, a.joinedAt]));
  // The trail's own account is logged as by any trail (also what it did before the organization existed).
  joinedAt.set(trail.accountId, Number.NEGATIVE_INFINITY);
  return { organizationId: organization.orgId, joinedAt };
}

/** The accounts whose events the trail reads from the log. */
export function accountsRead(trail: Trail, scope: OrganizationScope | undefined): string | string[] {
  return scope === undefined ? trail.accountId : [...scope.joinedAt.keys()];
}
