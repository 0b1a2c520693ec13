/**
 * What trails announce and where: CloudTrail's log-delivery message and SNS topic ARNs. The
 * notifiers (sns-notifier.ts, webhook-notifier.ts) carry the message.
 */

/** Why a notification could not be delivered; `retryable` says whether trying later may succeed. */
export class NotificationError extends Error {
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotificationError';
    this.retryable = options.retryable;
  }
}

/**
 * The message CloudTrail publishes for a delivered batch of log files:
 * `{"s3Bucket":"<bucket>","s3ObjectKey":["<key1>",...]}` (the SNS Message text itself).
 */
export function logDeliveryMessage(bucket: string, keys: readonly string[]): string {
  return JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [...keys] });
}

/**
 * The topic ARN a trail's SnsTopicName stands for: an ARN as it is, a bare name in the trail's
 * home region and account (`arn:aws:sns:<region>:<account>:<name>`).
 */
export function snsTopicArn(topicArnOrName: string, region: string, accountId: string): string {
  if (topicArnOrName.startsWith('arn:')) return topicArnOrName;
  return `arn:aws:sns:${region}:${accountId}:${topicArnOrName}`;
}

/** The region of an SNS topic ARN (`arn:<partition>:sns:<region>:<account>:<name>`), if it is one. */
export function snsTopicRegion(topicArn: string): string | undefined {
  const parts = topicArn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] === 'sns' && parts[3] !== '' ? parts[3] : undefined;
}
