/**
 * Finding the trail a request names. A name means a trail of the caller's account homed in
 * the request's region; any other trail (a multi-region trail seen from another region) is
 * addressed by ARN. Another account's trail is simply not found.
 */
import { clientError } from '../../errors.js';
import type { ServiceError } from '../../errors.js';
import type { OperationContext } from '../context.js';
import type { Trail } from '../../../store/trail-store.js';
import { isRuleViolation, parseTrailRef } from '../../../core/trail-rules.js';

export function trailNotFoundError(reference: string, context: OperationContext): ServiceError {
  return clientError('TrailNotFoundException', `Unknown trail: ${reference} for the user: ${context.caller.accountId}`);
}

export function trailNotFound(reference: string, context: OperationContext): never {
  throw trailNotFoundError(reference, context);
}

/** The ARN a trail reference names, or throws CloudTrail's error for a malformed one. */
export function trailArnOf(reference: string, context: OperationContext): string {
  const ref = parseTrailRef(reference, context.caller.accountId, context.region);
  if (isRuleViolation(ref)) throw clientError(ref.code, ref.message);
  return ref.arn;
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
  /** Mutations must be made in the trail's home region (InvalidHomeRegionException otherwise). */
  homeRegionOnly?: boolean;
}

export async function findTrail(reference: string, context: OperationContext, options: FindOptions = {}): Promise<Trail> {
  const arn = trailArnOf(reference, context);
  const trail = await context.services.trails.get(arn);
  if (trail === undefined || trail.accountId !== context.caller.accountId) trailNotFound(reference, context);
  // A multi-region trail is visible everywhere; a single-region one only in its home region.
  if (trail.homeRegion !== context.region && !trail.config.IsMultiRegionTrail) trailNotFound(reference, context);
  if (options.homeRegionOnly === true && trail.homeRegion !== context.region) {
    throw clientError(
      'InvalidHomeRegionException',
      `This operation must be called from the trail's home region (${trail.homeRegion}); it was called from ${context.region}.`,
    );
  }
  context.resources.push({ accountId: trail.accountId, type: 'AWS::CloudTrail::Trail', ARN: trail.trailArn });
  return trail;
}
