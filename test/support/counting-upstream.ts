/**
 * A minimal upstream for gateway tests: answers every request 200 (an empty S3-style answer)
 * and counts what reached it, so a test can tell whether a call was forwarded at all.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingUpstream {
  url: string;
  /** `METHOD path` of every request received, in order. */
  readonly received: string[];
  /** The Authorization header of each request: the credentials the gateway signed with. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

export async function startCountingUpstream(): Promise<CountingUpstream> {
  const received: string[] = [];
  const authorizations: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(`${req.method} ${req.url}`);
      authorizations.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': `UPSTREAM${received.length}` });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    authorizations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening (an upstream that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
