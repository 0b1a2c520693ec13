/**
 * A webhook receiver on loopback that checks each call's HMAC signature the way a receiver
 * would: signed bodies are kept (parsed JSON), the others answered 401 and counted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from './webhook-signature.js';

export interface WebhookReceiver<T> {
  readonly messages: T[];
  /** Calls whose signature did not verify. */
  readonly badSignatures: () => number;
  /** The URL to configure, once listening (path given to start()). */
  url: string;
  close(): void;
}

export async function startWebhookReceiver<T = Record<string, unknown>>(secret: string, path = '/hook'): Promise<WebhookReceiver<T>> {
  const messages: T[] = [];
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!verifyWebhookSignature(secret, body, req.headers['x-opentrail-signature'] as string | undefined)) {
        bad++;
        res.writeHead(401).end();
        return;
      }
      messages.push(JSON.parse(body.toString()) as T);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    messages,
    badSignatures: () => bad,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => server.close(),
  };
}
