/**
 * CreateTrail / UpdateTrail input → a validated TrailConfig. The settings rules are the pure
 * ones of src/core/trail-rules.ts (checkTrailSettings, one implementation); what needs the
 * outside world comes after them, in member order: the bucket exists in the object store, the
 * SNS topic exists in the SNS API notifications go to, the CloudWatch Logs group exists where
 * forwarding goes and the role is one of the account's IAM roles.
 */
import type { CreateTrailRequest, UpdateTrailRequest } from '../../model.gen.js';
import { clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import type { TrailConfig } from '../../../../store/trail-store.js';
import * as rules from '../../../../core/trail-rules.js';
import { snsTopicArn } from '../../../../notify/notification.js';
import { roleArnOf } from '../../../iam/arns.js';
import { logGroupOfArn } from '../../../../workers/cloudwatch-logs/log-destination.js';

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
  if (config.CloudWatchLogsLogGroupArn !== undefined && config.CloudWatchLogsLogGroupArn !== base?.CloudWatchLogsLogGroupArn) {
    await checkLogGroup(config.CloudWatchLogsLogGroupArn, context);
  }
  if (config.CloudWatchLogsRoleArn !== undefined && config.CloudWatchLogsRoleArn !== base?.CloudWatchLogsRoleArn) {
    await checkLogsRole(config.CloudWatchLogsRoleArn, context);
  }
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

/**
 * CloudTrail sends a trail's events to a log group of the trail's own account and home region,
 * and refuses one it cannot write to; OpenTrail asks where forwarding goes (its hosted groups,
 * or the configured external CloudWatch Logs API).
 */
async function checkLogGroup(arn: string, context: OperationContext): Promise<void> {
  const group = logGroupOfArn(arn);
  if (group === undefined || group.accountId !== context.caller.accountId || group.region !== context.region) {
    throw clientError('InvalidCloudWatchLogsLogGroupArnException', `CloudTrail cannot validate the specified log group ARN: it must name a log group of account ${context.caller.accountId} in ${context.region}.`);
  }
  let exists: boolean;
  try {
    exists = await context.services.logGroups.exists(group);
  } catch (error) {
    throw clientError('InvalidCloudWatchLogsLogGroupArnException', `CloudTrail cannot validate the specified log group ARN: the CloudWatch Logs API could not be asked: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!exists) throw clientError('InvalidCloudWatchLogsLogGroupArnException', `CloudTrail cannot validate the specified log group ARN: log group ${group.logGroupName} does not exist.`);
}

/** The role CloudTrail would assume to write to the group: an IAM role of the account. */
async function checkLogsRole(arn: string, context: OperationContext): Promise<void> {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  const role = match !== null && match[1] === context.caller.accountId ? await context.services.identity.store.getRole(match[1], match[2]!) : undefined;
  if (role === undefined || roleArnOf(role.accountId, role.path, role.roleName) !== arn) {
    throw clientError('InvalidCloudWatchLogsRoleArnException', `CloudTrail cannot validate the specified role ARN: ${arn} is not an IAM role of account ${context.caller.accountId}.`);
  }
}
