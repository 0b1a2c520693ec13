/**
 * Who hears about delivered log files: the trail's SNS topic (CloudTrail's message, through any
 * SNS API: AWS_ENDPOINT_URL_SNS), and the configured webhook (the same message, HMAC-signed).
 * Each is retried with backoff (notify/retry.ts); what still fails shows in GetTrailStatus.
 */
import { errorMessage } from '../core/error-message.js';
import type { OpenTrailConfig } from '../config/config.js';
import { logDeliveryMessage } from '../notify/notification.js';
import { withRetries } from '../notify/retry.js';
import type { RetryPolicy } from '../notify/retry.js';
import { SnsNotifier } from '../notify/sns-notifier.js';
import { WebhookNotifier } from '../notify/webhook-notifier.js';
import type { NotifierFor } from '../workers/delivery/delivery-notifier.js';

/** What publishes to SNS (an SnsNotifier; tests give their own). */
export type SnsPublisher = Pick<SnsNotifier, 'publish'>;

export function deliveryNotifiers(config: OpenTrailConfig, options: { sns?: SnsPublisher; retry?: RetryPolicy } = {}): NotifierFor {
  let sns: SnsPublisher | undefined = options.sns;
  const webhook =
    config.webhookUrl !== undefined && config.webhookSecret !== undefined ? new WebhookNotifier({ url: config.webhookUrl, secret: config.webhookSecret }) : undefined;
  return (trail) => {
    const topic = trail.config.SnsTopicName;
    if (topic === undefined && webhook === undefined) return undefined;
    return {
      async notify(trail, bucket, keys) {
        const text = logDeliveryMessage(bucket, keys);
        const problems: string[] = [];
        if (topic !== undefined) {
          sns ??= new SnsNotifier();
          const publisher = sns;
          // Retried like the webhook: a topic that is briefly unreachable still hears of the batch.
          await withRetries(async () => publisher.publish(topic, text, { accountId: trail.accountId, region: trail.homeRegion }), options.retry).catch((error: unknown) =>
            problems.push(`SNS: ${errorMessage(error)}`),
          );
        }
        if (webhook !== undefined) {
          await webhook.send(text).catch((error: unknown) => problems.push(`webhook: ${errorMessage(error)}`));
        }
        if (problems.length > 0) throw new Error(problems.join('; '));
      },
    };
  };
}
