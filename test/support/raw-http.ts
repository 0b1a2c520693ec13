/**
 * Raw HTTP over node:net, for clients no HTTP library would be: malformed requests, headers sent
 * in part, bodies trickled a byte at a time. The server's answer is read until it closes the
 * connection (bounded by a generous timeout, which fails the test rather than waiting forever).
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface RawAnswer {
  /** Undefined when the server closed without answering. */
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** The whole answer as received. */
  raw: string;
}

export interface RawConnection {
  socket: Socket;
  write(data: string | Buffer): void;
  /** Resolves with what the server sent once it closes the connection; rejects after `timeoutMs`. */
  closed(timeoutMs?: number): Promise<RawAnswer>;
}

export function parseAnswer(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return { headers: {}, body: '', raw };
  const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  return { ...(Number.isInteger(status) && { status }), headers, body: raw.slice(split + 4), raw };
}

export async function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  // The server may reset a connection it gave up on; what it sent before still counts.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    async closed(timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`the server did not close the connection within ${timeoutMs} ms; received so far: ${JSON.stringify(received)}`));
        }, timeoutMs);
        void closed.then(() => {
          clearTimeout(timer);
          resolve(parseAnswer(received));
        });
      });
    },
  };
}

/** Sends `request` in one piece and waits for the answer and the close. */
export async function sendRaw(url: string, request: string | Buffer, timeoutMs?: number): Promise<RawAnswer> {
  const connection = await openRaw(url);
  connection.write(request);
  return connection.closed(timeoutMs);
}
