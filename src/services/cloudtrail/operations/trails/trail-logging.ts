/** StartLogging, StopLogging, GetTrailStatus. */
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailNotFoundError, trailResource } from './find-trail.js';

export const startLogging: OperationSpec<'StartLogging'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { forChange: true });
    // Events before this call's record were made while not logging: delivery starts with it.
    if (!trail.isLogging) context.stage({ kind: 'startLogging', trailArn: trail.trailArn, timeMs: context.nowMs }, { missing: trailNotFoundError(input.Name, context) });
    return {};
  },
};

export const stopLogging: OperationSpec<'StopLogging'> = {
  authorizationResource: (input, context) => trailResource(input.Name, context),
  async handle(input, context) {
    const trail = await findTrail(input.Name, context, { forChange: true });
    // The StopLogging call itself is the last event the trail delivers.
    if (trail.isLogging) context.stage({ kind: 'stopLogging', trailArn: trail.trailArn, timeMs: context.nowMs }, { missing: trailNotFoundError(input.Name, context) });
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
        LatestCloudWatchLogsDeliveryTime: seconds(s.latestCloudWatchLogsDeliveryTime),
        LatestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError,
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
