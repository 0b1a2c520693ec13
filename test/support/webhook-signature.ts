/** Checking a webhook notification's signature header the way a receiver would. */
import { timingSafeEqual } from 'node:crypto';
import { webhookSignature } from '../../src/notify/webhook-notifier.js';

/** Constant-time check of a received signature header. */
export function verifyWebhookSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(webhookSignature(secret, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
