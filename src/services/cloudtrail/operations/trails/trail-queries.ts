/** GetTrail, DescribeTrails, ListTrails. */
import { isRuleViolation, parseTrailRef } from '../../../../core/trail-rules.js';
import type { Trail } from '../../../../store/trail-store.js';
import { clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailResource } from './find-trail.js';
import { callerStanding } from './organization-standing.js';
import { trailShape } from './trail-shapes.js';

/**
 * The organization trails of the caller's management account, which every other account of
 * the organization sees beside its own trails (as shadow trails: they are not its own).
 */
async function organizationTrailsSeen(context: OperationContext): Promise<Trail[]> {
  const standing = await callerStanding(context);
  if (standing === undefined || standing.organization.managementAccountId === context.caller.accountId) return [];
  const theirs = await context.services.trails.list(standing.organization.managementAccountId);
  return theirs.filter((t) => t.config.IsOrganizationTrail === true);
}

export const getTrail: OperationSpec<'GetTrail'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    return { Trail: trailShape(await findTrail(input.Name, context)) };
  },
};

export const describeTrails: OperationSpec<'DescribeTrails'> = {
  async handle(input, context) {
    const all = await context.services.trails.list(context.caller.accountId);
    const home = all.filter((t) => t.homeRegion === context.region);
    const organizationTrails = (await organizationTrailsSeen(context)).filter((t) => t.homeRegion === context.region || t.config.IsMultiRegionTrail);
    const shadows = [...all.filter((t) => t.homeRegion !== context.region && t.config.IsMultiRegionTrail), ...organizationTrails];
    const names = input.trailNameList ?? [];
    let found: Trail[];
    if (names.length === 0) {
      found = input.includeShadowTrails === false ? home : [...home, ...shadows];
    } else {
      // Names match trails of this region; ARNs any trail visible here. Unknown ones are left out.
      const wanted = new Set<string>();
      for (const name of names) {
        const ref = parseTrailRef(name, context.caller.accountId, context.region);
        if (isRuleViolation(ref)) throw clientError(ref.code, ref.message);
        wanted.add(ref.arn);
      }
      found = [...home, ...(input.includeShadowTrails === false ? [] : shadows)].filter((t) => wanted.has(t.trailArn));
    }
    return { trailList: found.map(trailShape) };
  },
};

const PAGE = 50;

export const listTrails: OperationSpec<'ListTrails'> = {
  async handle(input, context) {
    const all = [...(await context.services.trails.list(context.caller.accountId)), ...(await organizationTrailsSeen(context))];
    let start = 0;
    if (input.NextToken !== undefined) {
      start = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(start) || start <= 0 || start > all.length) {
        throw clientError('InvalidTokenException', 'The NextToken is not valid.');
      }
    }
    const page = all.slice(start, start + PAGE);
    return {
      Trails: page.map((t) => ({ TrailARN: t.trailArn, Name: t.name, HomeRegion: t.homeRegion })),
      ...(start + PAGE < all.length && { NextToken: Buffer.from(String(start + PAGE)).toString('base64url') }),
    };
  },
};
