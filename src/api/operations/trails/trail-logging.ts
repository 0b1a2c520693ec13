/** StartLogging, StopLogging, GetTrailStatus. */
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailResource } from './find-trail.js';

export const startLogging: OperationSpec<'StartLogging'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { homeRegionOnly: true });
    if (!trail.isLogging) {
      // Events up to now were made while not logging: delivery starts after them (this call's
      // own record comes later, so it is delivered).
      await context.services.trails.startLogging(trail.trailArn, context.nowMs, await context.services.events.lastSeq());
    }
    return {};
  },
};

export const stopLogging: OperationSpec<'StopLogging'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { homeRegionOnly: true });
    // The StopLogging call itself is the last event the trail delivers: commit its record now
    // and stop right after it.
    const { callSeq } = await context.commitWithCallRecord([]);
    if (trail.isLogging) await context.services.trails.stopLogging(trail.trailArn, context.nowMs, callSeq);
    return {};
  },
};

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** Only fields that happened are returned (CloudTrail omits the rest). */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const getTrailStatus: OperationSpec<'GetTrailStatus'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { unknownTrail: 'trail-arn' });
    const s = trail.status;
    const deliverySucceeded = s.latestDeliveryError === undefined ? s.latestDeliveryTime : undefined;
    const notificationSucceeded = s.latestNotificationError === undefined ? s.latestNotificationTime : undefined;
    return {
      IsLogging: trail.isLogging,
      ...defined({
        LatestDeliveryError: s.latestDeliveryError,
        LatestNotificationError: s.latestNotificationError,
        LatestDeliveryTime: seconds(s.latestDeliveryTime),
        LatestNotificationTime: seconds(s.latestNotificationTime),
        StartLoggingTime: seconds(trail.startLoggingTime),
        StopLoggingTime: seconds(trail.stopLoggingTime),
        LatestDigestDeliveryTime: seconds(s.latestDigestDeliveryTime),
        LatestDigestDeliveryError: s.latestDigestDeliveryError,
        // Documented as no longer in use, still returned by AWS as ISO strings.
        LatestDeliveryAttemptTime: iso(s.latestDeliveryAttemptTime),
        LatestNotificationAttemptTime: iso(s.latestNotificationAttemptTime),
        LatestDeliveryAttemptSucceeded: iso(deliverySucceeded),
        LatestNotificationAttemptSucceeded: iso(notificationSucceeded),
        TimeLoggingStarted: iso(trail.startLoggingTime),
        TimeLoggingStopped: iso(trail.stopLoggingTime),
      }),
    };
  },
};
