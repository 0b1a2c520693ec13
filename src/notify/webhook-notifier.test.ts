import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { logDeliveryMessage, NotificationError } from './notification.js';
import { verifyWebhookSignature } from '../../test/support/webhook-signature.js';
import { WebhookNotifier, webhookSignature } from './webhook-notifier.js';

const SECRET = 'whsec-test-secret';

interface Received {
  body: string;
  signatureValid: boolean;
  delivery: string | undefined;
  attempt: string | undefined;
  contentType: string | undefined;
}

const servers: Server[] = [];

/** A local receiver; `answer` decides each response from the attempt number (1-based). */
async function receiver(answer: (n: number, response: ServerResponse, request: IncomingMessage) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['x-opentrail-signature'];
      received.push({
        body,
        signatureValid: verifyWebhookSignature(SECRET, body, typeof header === 'string' ? header : undefined),
        delivery: request.headers['x-opentrail-delivery'] as string | undefined,
        attempt: request.headers['x-opentrail-attempt'] as string | undefined,
        contentType: request.headers['content-type'],
      });
      answer(received.length, response, request);
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/opentrail`, received };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** Backoff as in production, scaled down to milliseconds. */
const backoffMs = 1;

const MESSAGE = logDeliveryMessage('trail-bucket', ['AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/f.json.gz']);

describe('webhook signatures', () => {
  it('is sha256= and the hex HMAC-SHA256 of the body', () => {
    // RFC 4231 test case 2.
    expect(webhookSignature('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(verifyWebhookSignature('Jefe', 'what do ya want for nothing?', webhookSignature('Jefe', 'what do ya want for nothing?'))).toBe(true);
    expect(verifyWebhookSignature('Jefe', 'what do ya want for nothing!', webhookSignature('Jefe', 'what do ya want for nothing?'))).toBe(false);
    expect(verifyWebhookSignature('other', 'x', webhookSignature('Jefe', 'x'))).toBe(false);
    expect(verifyWebhookSignature('Jefe', 'x', undefined)).toBe(false);
    expect(verifyWebhookSignature('Jefe', 'x', 'sha256=short')).toBe(false);
  });
});

describe('WebhookNotifier', () => {
  it('POSTs the JSON body signed with the secret, and succeeds on 2xx', async () => {
    const hook = await receiver((_, response) => response.writeHead(204).end());
    const notifier = new WebhookNotifier({ url: hook.url, secret: SECRET });
    const result = await notifier.send(MESSAGE, { deliveryId: 'delivery-1' });
    expect(result).toEqual({ deliveryId: 'delivery-1', attempts: 1, status: 204 });
    expect(hook.received).toEqual([{ body: MESSAGE, signatureValid: true, delivery: 'delivery-1', attempt: '1', contentType: 'application/json' }]);
    const second = await notifier.send({ hello: 'world' });
    expect(second.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.received[1]).toMatchObject({ body: '{"hello":"world"}', signatureValid: true, delivery: second.deliveryId });
  });

  it('retries a receiver that fails twice, with the same delivery id', async () => {
    const hook = await receiver((n, response) => response.writeHead(n <= 2 ? 503 : 200).end(n <= 2 ? 'busy' : 'ok'));
        const result = await new WebhookNotifier({ url: hook.url, secret: SECRET, backoffMs }).send(MESSAGE);
    expect(result.attempts).toBe(3);
    expect(result.status).toBe(200);
    expect(hook.received.map((r) => r.attempt)).toEqual(['1', '2', '3']);
    expect(new Set(hook.received.map((r) => r.delivery))).toEqual(new Set([result.deliveryId]));
    expect(hook.received.every((r) => r.signatureValid && r.body === MESSAGE)).toBe(true);
  });

  it('gives up after five attempts with a clear error', async () => {
    const hook = await receiver((_, response) => response.writeHead(500).end());
        const error = await new WebhookNotifier({ url: hook.url, secret: SECRET, backoffMs }).send(MESSAGE, { deliveryId: 'd-5' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).message).toBe(`webhook ${hook.url} failed delivery d-5 after 5 attempts; last: HTTP 500`);
    expect((error as NotificationError).retryable).toBe(true);
    expect(hook.received).toHaveLength(5);
  });

  it('does not retry an answer that refuses the request (4xx)', async () => {
    const hook = await receiver((_, response) => response.writeHead(401).end('bad signature'));
        const error = await new WebhookNotifier({ url: hook.url, secret: SECRET, backoffMs }).send(MESSAGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).message).toMatch(/refused delivery .* \(attempt 1\): HTTP 401$/);
    expect((error as NotificationError).retryable).toBe(false);
    expect(hook.received).toHaveLength(1);
  });

  it('gives each attempt its time limit, then tries again', async () => {
    const hook = await receiver(() => {
      // never answers
    });
    const error = await new WebhookNotifier({ url: hook.url, secret: SECRET, backoffMs, maxAttempts: 2, timeoutMs: 200 }).send(MESSAGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).message).toMatch(/after 2 attempts; last: no answer within 200 ms$/);
    expect(hook.received).toHaveLength(2);
  });

  it('retries a refused connection and names the cause', async () => {
    const hook = await receiver((_, response) => response.end());
    const url = hook.url;
    const server = servers.pop()!;
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
        const error = await new WebhookNotifier({ url, secret: SECRET, backoffMs, maxAttempts: 3 }).send(MESSAGE).catch((e: unknown) => e);
    expect((error as NotificationError).message).toMatch(/after 3 attempts; last: .*ECONNREFUSED/);
  });

  it('refuses a configuration it cannot use', () => {
    expect(() => new WebhookNotifier({ url: 'not a url', secret: SECRET })).toThrow(/not a URL/);
    expect(() => new WebhookNotifier({ url: 'ftp://127.0.0.1/x', secret: SECRET })).toThrow(/http: or https:/);
    expect(() => new WebhookNotifier({ url: 'http://127.0.0.1/x', secret: '' })).toThrow(/secret/);
  });
});
