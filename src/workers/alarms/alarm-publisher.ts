/**
 * Where alarm actions go: SNS topics (through @aws-sdk/client-sns, endpoint AWS_ENDPOINT_URL_SNS
 * as for trail notifications: notify/sns-notifier.ts) and the configured webhook, which hears of
 * every state change. Each publish is retried with backoff (notify/retry.ts); the webhook
 * retries itself (notify/webhook-notifier.ts).
 */
import type { OpenTrailConfig } from '../../config/config.js';
import { withRetries } from '../../notify/retry.js';
import type { RetryPolicy } from '../../notify/retry.js';
import { SnsNotifier } from '../../notify/sns-notifier.js';
import { WebhookNotifier } from '../../notify/webhook-notifier.js';

export interface AlarmActionPublisher {
  /** Resolves once the topic took the message; rejects with the last attempt's error. */
  publishToTopic(topicArn: string, subject: string, message: string): Promise<void>;
  /** Every state change, when a webhook is configured. */
  webhook?(message: string): Promise<void>;
}

/** What publishes to SNS (an SnsNotifier; tests give their own). */
export type TopicPublisher = Pick<SnsNotifier, 'publish'>;

export function alarmActionPublisher(
  config: Pick<OpenTrailConfig, 'webhookUrl' | 'webhookSecret'>,
  options: { sns?: TopicPublisher; retry?: RetryPolicy } = {},
): AlarmActionPublisher {
  let sns = options.sns;
  const webhook =
    config.webhookUrl !== undefined && config.webhookSecret !== undefined ? new WebhookNotifier({ url: config.webhookUrl, secret: config.webhookSecret }) : undefined;
  return {
    async publishToTopic(topicArn, subject, message) {
      sns ??= new SnsNotifier();
      const publisher = sns;
      await withRetries(async () => publisher.publish(topicArn, message, { subject }), options.retry);
    },
    ...(webhook !== undefined && {
      async webhook(message: string) {
        await webhook.send(message);
      },
    }),
  };
}
