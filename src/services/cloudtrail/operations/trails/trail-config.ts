/**
 * CreateTrail / UpdateTrail input → a validated TrailConfig. The settings rules are the pure
 * ones of src/core/trail-rules.ts (checkTrailSettings, one implementation); what needs the
 * outside world comes after them, in member order: the bucket exists in the object store, the
 * SNS topic exists in the SNS API notifications go to.
 */
import type { CreateTrailRequest, UpdateTrailRequest } from '../../model.gen.js';
import { clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import type { TrailConfig } from '../../../../store/trail-store.js';
import * as rules from '../../../../core/trail-rules.js';
import { snsTopicArn } from '../../../../notify/notification.js';

function check(result: rules.RuleViolation | undefined): void {
  if (result !== undefined) throw clientError(result.code, result.message);
}

type ConfigInput = Omit<CreateTrailRequest, 'Name' | 'TagsList' | 'S3BucketName'> & { S3BucketName?: string };

/** '' means "none" (UpdateTrail clears a setting that way): absent from the stored config. */
function setting(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** The input over `base` (UpdateTrail) or over CloudTrail's defaults (CreateTrail). */
function mergedSettings(input: ConfigInput | UpdateTrailRequest, bucket: string, base: TrailConfig | undefined): rules.TrailSettings & { LogFileValidationEnabled: boolean } {
  return {
    S3BucketName: bucket,
    S3KeyPrefix: input.S3KeyPrefix ?? base?.S3KeyPrefix,
    SnsTopicName: input.SnsTopicName ?? base?.SnsTopicName,
    IncludeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? base?.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: input.IsMultiRegionTrail ?? base?.IsMultiRegionTrail ?? false,
    LogFileValidationEnabled: input.EnableLogFileValidation ?? base?.LogFileValidationEnabled ?? false,
    CloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn ?? base?.CloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn ?? base?.CloudWatchLogsRoleArn,
    KmsKeyId: input.KmsKeyId ?? base?.KmsKeyId,
  };
}

export async function trailConfig(input: ConfigInput | UpdateTrailRequest, context: OperationContext, base?: TrailConfig): Promise<TrailConfig> {
  const bucket = input.S3BucketName ?? base?.S3BucketName;
  if (bucket === undefined) throw clientError('InvalidS3BucketNameException', 'S3BucketName is required.');
  const settings = mergedSettings(input, bucket, base);
  check(rules.checkTrailSettings(settings));

  const config: TrailConfig = {
    S3BucketName: settings.S3BucketName,
    IncludeGlobalServiceEvents: settings.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: settings.IsMultiRegionTrail,
    LogFileValidationEnabled: settings.LogFileValidationEnabled,
  };
  const prefix = setting(settings.S3KeyPrefix);
  if (prefix !== undefined) config.S3KeyPrefix = prefix;
  const topic = setting(settings.SnsTopicName);
  if (topic !== undefined) config.SnsTopicName = topic;
  const logGroup = setting(settings.CloudWatchLogsLogGroupArn);
  if (logGroup !== undefined) config.CloudWatchLogsLogGroupArn = logGroup;
  const role = setting(settings.CloudWatchLogsRoleArn);
  if (role !== undefined) config.CloudWatchLogsRoleArn = role;
  // An empty KmsKeyId (UpdateTrail) turns encryption off; a key is stored as its full ARN.
  const kms = setting(settings.KmsKeyId);
  if (kms !== undefined) {
    const arn = rules.normalizeKmsKeyId(kms, context.region, context.caller.accountId);
    if (typeof arn !== 'string') check(arn);
    else config.KmsKeyId = arn;
  }

  if (bucket !== base?.S3BucketName && !(await context.services.objects.bucketExists(bucket))) {
    throw clientError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist!`);
  }
  if (config.SnsTopicName !== undefined && config.SnsTopicName !== base?.SnsTopicName) await checkTopicExists(config.SnsTopicName, context);
  // Whether the caller may make it an organization trail is the handler's (it decides the owner).
  if (input.IsOrganizationTrail ?? base?.IsOrganizationTrail ?? false) config.IsOrganizationTrail = true;
  return config;
}

/**
 * The topic must exist where notifications will be published (the same ARN the notifier uses):
 * CloudTrail refuses a topic it cannot publish to. When SNS cannot be asked, the topic is
 * refused too (a topic OpenTrail cannot see would fail every notification), with the reason.
 */
async function checkTopicExists(topic: string, context: OperationContext): Promise<void> {
  const arn = snsTopicArn(topic, context.region, context.caller.accountId);
  let exists: boolean;
  try {
    exists = await context.services.topics.exists(arn);
  } catch (error) {
    throw clientError(
      'InsufficientSnsTopicPolicyException',
      `SNS Topic ${arn} could not be checked: ${error instanceof Error ? error.message : String(error)}. OpenTrail asks the SNS API its notifications go to (AWS_ENDPOINT_URL_SNS, else AWS_ENDPOINT_URL, else AWS) and refuses a topic it cannot see.`,
    );
  }
  if (!exists) throw clientError('InsufficientSnsTopicPolicyException', 'SNS Topic does not exist or the topic policy is incorrect!');
}
