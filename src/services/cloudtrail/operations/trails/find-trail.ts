/**
 * Finding the trail a request names. A name means a trail of the caller's account homed in
 * the request's region; any other trail (a multi-region trail seen from another region, an
 * organization trail of the caller's management account) is addressed by ARN. Another
 * account's trail is simply not found, unless it is an organization trail of the caller's
 * organization: then members see it and may not change it (NotOrganizationMasterAccount),
 * and the management account's delegated administrators manage it like its owner.
 */
import { clientError } from '../../../../api/errors.js';
import type { ServiceError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import type { Trail } from '../../../../store/trail-store.js';
import { isRuleViolation, parseTrailRef } from '../../../../core/trail-rules.js';
import type { TrailRef } from '../../../../core/trail-rules.js';
import { unknownTrail } from '../../../../core/unknown-trail.js';
import type { UnknownTrailAnswer } from '../../../../core/unknown-trail.js';
import { notOrganizationMaster, trailAccess } from '../../../../core/organization-trails.js';
import type { TrailAccess } from '../../../../core/organization-trails.js';
import { callerStanding } from './organization-standing.js';

/** The trail a reference names, or throws CloudTrail's error for a malformed one. */
function trailRefOf(reference: string, context: OperationContext): TrailRef {
  const ref = parseTrailRef(reference, context.caller.accountId, context.region);
  if (isRuleViolation(ref)) throw clientError(ref.code, ref.message);
  return ref;
}

/** The ARN a trail reference names, or throws CloudTrail's error for a malformed one. */
export function trailArnOf(reference: string, context: OperationContext): string {
  return trailRefOf(reference, context).arn;
}

/** For authorization: the trail ARN, or '*' when the reference is malformed (the handler then refuses it). */
export function trailResource(reference: unknown, context: OperationContext): string {
  if (typeof reference !== 'string') return '*';
  try {
    return trailArnOf(reference, context);
  } catch {
    return '*';
  }
}

export interface FindOptions {
  /**
   * The call changes the trail: it must be made in the trail's home region
   * (InvalidHomeRegionException otherwise), by an account that may manage the trail.
   */
  forChange?: boolean;
  /** How this operation tells of a trail it cannot find (core/unknown-trail.ts); default: the reference as given. */
  unknownTrail?: UnknownTrailAnswer;
}

/**
 * The error for a trail that is not there, as this operation tells of it. Also what a staged
 * change answers when its trail was deleted between the handler and the commit.
 */
export function trailNotFoundError(reference: string, context: OperationContext, answer: UnknownTrailAnswer = 'as-given'): ServiceError {
  const ref = trailRefOf(reference, context);
  const found = unknownTrail(answer, { reference, trailArn: ref.arn, arnAccountId: ref.accountId, callerAccountId: context.caller.accountId });
  return clientError(found.code, found.message);
}

export async function findTrail(reference: string, context: OperationContext, options: FindOptions = {}): Promise<Trail> {
  const ref = trailRefOf(reference, context);
  const notFound = (): never => {
    throw trailNotFoundError(reference, context, options.unknownTrail);
  };
  const trail = await context.services.trails.get(ref.arn);
  if (trail === undefined) return notFound();
  const access = await accessTo(trail, context);
  if (access === 'none') return notFound();
  // A multi-region trail is visible everywhere; a single-region one only in its home region.
  if (trail.homeRegion !== context.region && !trail.config.IsMultiRegionTrail) return notFound();
  if (options.forChange === true && access === 'view') {
    const refused = notOrganizationMaster();
    throw clientError(refused.code, refused.message);
  }
  if (options.forChange === true && trail.homeRegion !== context.region) {
    throw clientError(
      'InvalidHomeRegionException',
      `This operation must be called from the trail's home region (${trail.homeRegion}); it was called from ${context.region}.`,
    );
  }
  context.resources.push({ accountId: trail.accountId, type: 'AWS::CloudTrail::Trail', ARN: trail.trailArn });
  return trail;
}

/** How the caller may use the trail (the identity store is read only for another account's organization trail). */
export async function accessTo(trail: Trail, context: OperationContext): Promise<TrailAccess> {
  const subject = { accountId: trail.accountId, isOrganizationTrail: trail.config.IsOrganizationTrail === true };
  const needsStanding = subject.isOrganizationTrail && trail.accountId !== context.caller.accountId;
  return trailAccess(subject, context.caller.accountId, needsStanding ? await callerStanding(context) : undefined);
}
