/**
 * CreateTrail / UpdateTrail input → a validated TrailConfig, with CloudTrail's rules and
 * exceptions (src/core/trail-rules.ts) and the bucket-existence check against the object store.
 */
import type { CreateTrailRequest, UpdateTrailRequest } from '../../model/cloudtrail.gen.js';
import { clientError } from '../../errors.js';
import type { OperationContext } from '../context.js';
import type { TrailConfig } from '../../../store/trail-store.js';
import * as rules from '../../../core/trail-rules.js';

type RuleResult = { code: string; message: string } | undefined;

function check(result: RuleResult): void {
  if (result !== undefined) throw clientError(result.code, result.message);
}

type ConfigInput = Omit<CreateTrailRequest, 'Name' | 'TagsList' | 'S3BucketName'> & { S3BucketName?: string };

/** Applies the input over `base` (UpdateTrail) or over CloudTrail's defaults (CreateTrail). */
export async function trailConfig(input: ConfigInput | UpdateTrailRequest, context: OperationContext, base?: TrailConfig): Promise<TrailConfig> {
  if (input.IsOrganizationTrail === true) {
    throw clientError('OrganizationsNotInUseException', 'Organization trails are not supported: OpenTrail has no AWS Organizations.');
  }
  const bucket = input.S3BucketName ?? base?.S3BucketName;
  if (bucket === undefined) throw clientError('InvalidS3BucketNameException', 'S3BucketName is required.');
  check(rules.checkS3BucketName(bucket));
  const config: TrailConfig = {
    S3BucketName: bucket,
    IncludeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? base?.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: input.IsMultiRegionTrail ?? base?.IsMultiRegionTrail ?? false,
    LogFileValidationEnabled: input.EnableLogFileValidation ?? base?.LogFileValidationEnabled ?? false,
  };
  const prefix = input.S3KeyPrefix ?? base?.S3KeyPrefix;
  if (prefix !== undefined && prefix !== '') {
    check(rules.checkS3KeyPrefix(prefix));
    config.S3KeyPrefix = prefix;
  }
  const topic = input.SnsTopicName ?? base?.SnsTopicName;
  if (topic !== undefined && topic !== '') {
    check(rules.checkSnsTopicName(topic));
    config.SnsTopicName = topic;
  }
  // An empty KmsKeyId (UpdateTrail) turns encryption off.
  const kms = input.KmsKeyId ?? base?.KmsKeyId;
  if (kms !== undefined && kms !== '') {
    const normalised = rules.normalizeKmsKeyId(kms, context.region, context.caller.accountId);
    if (typeof normalised !== 'string') check(normalised);
    else config.KmsKeyId = normalised;
  }
  const logGroup = input.CloudWatchLogsLogGroupArn ?? base?.CloudWatchLogsLogGroupArn;
  const role = input.CloudWatchLogsRoleArn ?? base?.CloudWatchLogsRoleArn;
  check(rules.checkCloudWatchLogs(logGroup || undefined, role || undefined));
  if (logGroup) config.CloudWatchLogsLogGroupArn = logGroup;
  if (role) config.CloudWatchLogsRoleArn = role;
  check(rules.checkMultiRegion(config.IsMultiRegionTrail, config.IncludeGlobalServiceEvents));
  if (bucket !== base?.S3BucketName && !(await context.services.objects.bucketExists(bucket))) {
    throw clientError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist!`);
  }
  return config;
}
