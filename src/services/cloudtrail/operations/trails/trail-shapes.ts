/** A stored trail as CloudTrail's API shows it. */
import type { CreateTrailResponse, Trail as TrailShape } from '../../model.gen.js';
import type { Trail } from '../../../../store/trail-store.js';
import { snsTopicArn } from '../../../../notify/notification.js';

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined || value === '' ? {} : { [key]: value };
}

/** The flat shape CreateTrail and UpdateTrail answer with (no HomeRegion, no Has* flags). */
export function trailResponse(trail: Trail): CreateTrailResponse {
  const c = trail.config;
  return {
    Name: trail.name,
    S3BucketName: c.S3BucketName,
    ...optional('S3KeyPrefix', c.S3KeyPrefix),
    ...optional('SnsTopicName', c.SnsTopicName),
    ...optional('SnsTopicARN', c.SnsTopicName === undefined ? undefined : snsTopicArn(c.SnsTopicName, trail.homeRegion, trail.accountId)),
    IncludeGlobalServiceEvents: c.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: c.IsMultiRegionTrail,
    TrailARN: trail.trailArn,
    LogFileValidationEnabled: c.LogFileValidationEnabled,
    ...optional('CloudWatchLogsLogGroupArn', c.CloudWatchLogsLogGroupArn),
    ...optional('CloudWatchLogsRoleArn', c.CloudWatchLogsRoleArn),
    ...optional('KmsKeyId', c.KmsKeyId),
    IsOrganizationTrail: c.IsOrganizationTrail === true,
  };
}

/** The Trail structure of GetTrail and DescribeTrails. */
export function trailShape(trail: Trail): TrailShape {
  return {
    ...trailResponse(trail),
    HomeRegion: trail.homeRegion,
    HasCustomEventSelectors: trail.selectors !== undefined,
    HasInsightSelectors: (trail.insightSelectors ?? []).length > 0,
  };
}
