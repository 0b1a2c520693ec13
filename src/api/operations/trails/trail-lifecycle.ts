/** CreateTrail, UpdateTrail, DeleteTrail. */
import { AlreadyExistsError } from '../../../iam/identity-store.js';
import { checkTags, checkTrailName, trailArn } from '../../../core/trail-rules.js';
import type { Trail } from '../../../store/trail-store.js';
import { clientError } from '../../errors.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailResource } from './find-trail.js';
import { trailConfig } from './trail-config.js';
import { trailResponse } from './trail-shapes.js';

/** Trails per account homed in one region (CloudTrail's quota). */
export const MAX_TRAILS_PER_REGION = 5;

export const createTrail: OperationSpec<'CreateTrail'> = {
  authorizationResource: (input, context) =>
    typeof input.Name === 'string' && checkTrailName(input.Name) === undefined ? trailArn(context.region, context.caller.accountId, input.Name) : '*',
  async handle(input, context) {
    const nameProblem = checkTrailName(input.Name);
    if (nameProblem !== undefined) throw clientError(nameProblem.code, nameProblem.message);
    const tags = input.TagsList ?? [];
    const tagProblem = checkTags(tags);
    if (tagProblem !== undefined) throw clientError(tagProblem.code, tagProblem.message);
    const { accountId } = context.caller;
    const arn = trailArn(context.region, accountId, input.Name);
    if ((await context.services.trails.get(arn)) !== undefined) {
      throw clientError('TrailAlreadyExistsException', `Trail ${input.Name} already exists for customer: ${accountId}`);
    }
    const config = await trailConfig(input, context);
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
    await context.services.trails.create(trail).catch((error: unknown) => {
      if (error instanceof AlreadyExistsError) throw clientError('TrailAlreadyExistsException', `Trail ${input.Name} already exists for customer: ${accountId}`);
      throw error;
    });
    context.resources.push({ accountId, type: 'AWS::CloudTrail::Trail', ARN: arn });
    return trailResponse(trail);
  },
};

export const updateTrail: OperationSpec<'UpdateTrail'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { homeRegionOnly: true, unknownTrail: 'trail-arn' });
    const updated: Trail = { ...trail, config: await trailConfig(input, context, trail.config) };
    await context.services.trails.update(updated);
    return trailResponse(updated);
  },
};

export const deleteTrail: OperationSpec<'DeleteTrail'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { homeRegionOnly: true, unknownTrail: 'trail-arn' });
    // Pending events are delivered and the chains get their final digests first; delivered
    // log files and digests stay in the bucket, as with CloudTrail. If that cannot be done now
    // (the bucket is unreachable), the trail stays: deleting it would silently drop events.
    try {
      await context.services.finishTrail(trail);
    } catch (error) {
      throw clientError(
        'ConflictException',
        `Trail ${trail.name} still has events or a final digest to deliver, and delivering them failed: ${error instanceof Error ? error.message : String(error)}. Retry once the bucket is reachable.`,
      );
    }
    await context.services.trails.delete(trail.trailArn);
    return {};
  },
};
