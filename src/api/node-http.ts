/**
 * The node:http adapter: IncomingMessage → HttpRequest → pipeline → ServerResponse.
 * It owns what only the transport can do: the body size limit (answered without reading the
 * rest), TLS facts, and keeping count of in-flight requests for graceful shutdown.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errorResponse } from './aws-json.js';
import { protocolErrors } from './errors.js';
import type { HttpRequest, HttpResponse, TlsInfo } from './http-types.js';
import { newGuid } from '../core/ids.js';

export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tlsInfoOf(req: IncomingMessage): TlsInfo | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.getProtocol === undefined || socket.getCipher === undefined) return undefined;
  return { tlsVersion: socket.getProtocol() ?? 'unknown', cipherSuite: socket.getCipher().standardName };
}

function write(res: ServerResponse, response: HttpResponse, closeConnection = false): void {
  const headers: Record<string, string | number> = { ...response.headers, 'content-length': Buffer.byteLength(response.body) };
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}

export interface NodeHttpAdapter {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves once no request is in flight. */
  drained(): Promise<void>;
}

export function nodeHttpAdapter(handler: RequestHandler, maxBodyBytes: number, onError: (error: unknown) => void): NodeHttpAdapter {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    inFlight--;
    if (inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      // Answer now and close: draining an oversize body could take forever.
      write(res, errorResponse(protocolErrors.requestTooLarge(maxBodyBytes), newGuid()), true);
      req.socket.end();
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const tls = tlsInfoOf(req);
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      body,
      remoteAddress: req.socket.remoteAddress ?? 'unknown',
      ...(tls && { tls }),
    };
    write(res, await handler(request));
  };

  return {
    listener(req, res) {
      inFlight++;
      serve(req, res)
        .catch((error: unknown) => {
          onError(error);
          if (!res.headersSent) write(res, errorResponse(protocolErrors.internal(), newGuid()), true);
          else res.destroy();
        })
        .finally(done);
    },
    drained() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
