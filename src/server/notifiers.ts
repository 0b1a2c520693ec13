/**
 * Who hears about delivered log files: the trail's SNS topic (CloudTrail's message, through any
 * SNS API: AWS_ENDPOINT_URL_SNS), and the configured webhook (the same message, HMAC-signed).
 */
import type { OpenTrailConfig } from '../config/config.js';
import { logDeliveryMessage } from '../notify/notification.js';
import { SnsNotifier } from '../notify/sns-notifier.js';
import { WebhookNotifier } from '../notify/webhook-notifier.js';
import type { NotifierFor } from '../workers/delivery/delivery-notifier.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function deliveryNotifiers(config: OpenTrailConfig): NotifierFor {
  let sns: SnsNotifier | undefined;
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
          await sns.publish(topic, text, { accountId: trail.accountId, region: trail.homeRegion }).catch((error: unknown) => problems.push(`SNS: ${message(error)}`));
        }
        if (webhook !== undefined) {
          await webhook.send(text).catch((error: unknown) => problems.push(`webhook: ${message(error)}`));
        }
        if (problems.length > 0) throw new Error(problems.join('; '));
      },
    };
  };
}
