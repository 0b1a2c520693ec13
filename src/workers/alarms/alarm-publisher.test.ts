import { describe, expect, it } from 'vitest';
import { NotificationError } from '../../notify/notification.js';
import { alarmActionPublisher } from './alarm-publisher.js';

describe('alarmActionPublisher', () => {
  it('publishes to the topic with the subject, retrying with backoff until it is taken', async () => {
    const calls: unknown[][] = [];
    const sns = {
      async publish(topic: string, message: string, at: { subject?: string } = {}) {
        calls.push([topic, message, at.subject]);
        if (calls.length < 3) throw new NotificationError('unreachable', { retryable: true });
        return { topicArn: topic, messageId: 'm' };
      },
    };
    const publisher = alarmActionPublisher({}, { sns, retry: { attempts: 5, firstDelayMs: 1 } });
    await publisher.publishToTopic('arn:aws:sns:us-east-1:111122223333:ops', 'ALARM: "a" in US East (N. Virginia)', '{}');
    expect(calls).toHaveLength(3);
    expect(calls[2]).toEqual(['arn:aws:sns:us-east-1:111122223333:ops', '{}', 'ALARM: "a" in US East (N. Virginia)']);
    expect('webhook' in publisher).toBe(false);
  });

  it('gives up at once on a refusal, and has a webhook only when one is configured', async () => {
    let attempts = 0;
    const sns = {
      async publish(): Promise<never> {
        attempts += 1;
        throw new NotificationError('no such topic', { retryable: false });
      },
    };
    const publisher = alarmActionPublisher({ webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: 's' }, { sns, retry: { attempts: 5, firstDelayMs: 1 } });
    await expect(publisher.publishToTopic('arn:aws:sns:us-east-1:111122223333:gone', 's', '{}')).rejects.toThrow('no such topic');
    expect(attempts).toBe(1);
    expect(typeof publisher.webhook === 'function').toBe(true);
  });
});
