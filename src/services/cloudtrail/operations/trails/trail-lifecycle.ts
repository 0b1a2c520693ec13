/** CreateTrail, UpdateTrail, DeleteTrail. */
import { checkTags, checkTrailName, trailArn } from '../../../../core/trail-rules.js';
import type { Trail } from '../../../../store/trail-store.js';
import { clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import { notOrganizationMaster, organizationTrailOwner } from '../../../../core/organization-trails.js';
import type { OrganizationViolation } from '../../../../core/organization-trails.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailNotFoundError, trailResource } from './find-trail.js';
import { callerStanding } from './organization-standing.js';
import { trailConfig } from './trail-config.js';
import { trailResponse } from './trail-shapes.js';

/** Trails per account homed in one region (CloudTrail's quota). */
export const MAX_TRAILS_PER_REGION = 5;

/**
 * Who owns the trail an organization-trail request makes: the organization's management
 * account (also when a delegated administrator asks), or why the caller may not ask.
 */
async function organizationTrailOwnership(context: OperationContext): Promise<{ ownerAccountId: string } | OrganizationViolation> {
  return organizationTrailOwner(context.caller.accountId, await callerStanding(context));
}

function refuse(violation: OrganizationViolation): never {
  throw clientError(violation.code, violation.message);
}

export const createTrail: OperationSpec<'CreateTrail'> = {
  authorizationResource: (input, context) =>
    typeof input.Name === 'string' && checkTrailName(input.Name) === undefined ? trailArn(context.region, context.caller.accountId, input.Name) : '*',
  async handle(input, context) {
    const nameProblem = checkTrailName(input.Name);
    if (nameProblem !== undefined) throw clientError(nameProblem.code, nameProblem.message);
    const tags = input.TagsList ?? [];
    const tagProblem = checkTags(tags);
    if (tagProblem !== undefined) throw clientError(tagProblem.code, tagProblem.message);
    // IsOrganizationTrail is the last member: the settings' errors come first, so a refusal waits until then.
    const ownership = input.IsOrganizationTrail === true ? await organizationTrailOwnership(context) : { ownerAccountId: context.caller.accountId };
    const accountId = 'ownerAccountId' in ownership ? ownership.ownerAccountId : context.caller.accountId;
    const arn = trailArn(context.region, accountId, input.Name);
    const alreadyExists = clientError('TrailAlreadyExistsException', `Trail ${input.Name} already exists for customer: ${accountId}`);
    if ((await context.services.trails.get(arn)) !== undefined) throw alreadyExists;
    const config = await trailConfig(input, context);
    if (!('ownerAccountId' in ownership)) refuse(ownership);
    if ((await context.services.trails.list(accountId, context.region)).length >= MAX_TRAILS_PER_REGION) {
      throw clientError('MaximumNumberOfTrailsExceededException', `User: ${accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${context.region}.`);
    }
    const trail: Trail = {
      trailArn: arn,
      accountId,
      homeRegion: context.region,
      name: input.Name,
      config,
      tags,
      isLogging: false,
      status: {},
      createdAt: context.nowMs,
    };
    context.stage({ kind: 'createTrail', trail }, { exists: alreadyExists });
    context.resources.push({ accountId, type: 'AWS::CloudTrail::Trail', ARN: arn });
    return trailResponse(trail);
  },
};

export const updateTrail: OperationSpec<'UpdateTrail'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { forChange: true, unknownTrail: 'trail-arn' });
    const updated: Trail = { ...trail, config: await trailConfig(input, context, trail.config) };
    if (updated.config.IsOrganizationTrail === true && trail.config.IsOrganizationTrail !== true) {
      // Only the management account's own trails become organization trails.
      const ownership = await organizationTrailOwnership(context);
      if (!('ownerAccountId' in ownership)) refuse(ownership);
      if (ownership.ownerAccountId !== trail.accountId) refuse(notOrganizationMaster());
    }
    context.stage({ kind: 'setTrailConfig', trailArn: trail.trailArn, config: updated.config }, { missing: trailNotFoundError(input.Name, context, 'trail-arn') });
    return trailResponse(updated);
  },
};

export const deleteTrail: OperationSpec<'DeleteTrail'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { forChange: true, unknownTrail: 'trail-arn' });
    // As with CloudTrail, the trail is deleted at once, whatever state its bucket is in. First
    // one bounded attempt to deliver what is pending and to end its digest chains; what it
    // cannot deliver stays in the event history. Delivered files and digests stay in the bucket.
    await context.services.finishTrail(trail);
    context.stage({ kind: 'deleteTrail', trailArn: trail.trailArn }, { missing: trailNotFoundError(input.Name, context, 'trail-arn') });
    return {};
  },
};
