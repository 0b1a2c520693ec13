/** The delivery notifiers retry SNS as they retry the webhook, and report what still failed. */
import { describe, expect, it } from 'vitest';
import type { OpenTrailConfig } from '../config/config.js';
import { NotificationError } from '../notify/notification.js';
import type { Trail } from '../store/trail-store.js';
import { deliveryNotifiers } from './notifiers.js';
import type { SnsPublisher } from './notifiers.js';

const trail = {
  trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t',
  accountId: '111122223333',
  homeRegion: 'us-east-1',
  config: { S3BucketName: 'b', SnsTopicName: 'topic', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false },
} as Trail;
const config = {} as OpenTrailConfig;
const retry = { attempts: 3, firstDelayMs: 1 };

function publisher(failures: number, retryable = true): SnsPublisher & { calls: number } {
  const sns = {
    calls: 0,
    publish: async () => {
      sns.calls++;
      if (sns.calls <= failures) return Promise.reject(new NotificationError(`SNS down (${sns.calls})`, { retryable }));
      return Promise.resolve({ messageId: 'm-1', topicArn: 'arn:aws:sns:us-east-1:111122223333:topic' });
    },
  };
  return sns;
}

describe('deliveryNotifiers', () => {
  it('retries a failing SNS publish until it goes through', async () => {
    const sns = publisher(2);
    await deliveryNotifiers(config, { sns, retry })(trail)!.notify(trail, 'b', ['k']);
    expect(sns.calls).toBe(3);
  });

  it('reports SNS as failed once the retries are spent', async () => {
    const sns = publisher(5);
    await expect(deliveryNotifiers(config, { sns, retry })(trail)!.notify(trail, 'b', ['k'])).rejects.toThrow('SNS: SNS down (3)');
    expect(sns.calls).toBe(3);
  });

  it('does not retry a refusal', async () => {
    const sns = publisher(5, false);
    await expect(deliveryNotifiers(config, { sns, retry })(trail)!.notify(trail, 'b', ['k'])).rejects.toThrow('SNS: SNS down (1)');
    expect(sns.calls).toBe(1);
  });
});
