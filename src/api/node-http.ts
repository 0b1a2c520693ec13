/**
 * The node:http adapter: IncomingMessage → HttpRequest → pipeline → ServerResponse.
 * It owns what only the transport can do: the body size limit (answered without reading the
 * rest), the Host header rule, TLS facts, AWS-shaped answers to connections node:http gives up
 * on (`clientError`: unparseable HTTP, oversized headers, header and request timeouts), and
 * keeping count of in-flight requests for graceful shutdown.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorResponse } from './aws-json.js';
import { protocolErrors } from './errors.js';
import type { ServiceError } from './errors.js';
import { clientErrorResponse, isConnectionGone } from './http-client-errors.js';
import type { HttpLimits } from './http-client-errors.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { tlsInfoOf } from './tls-info.js';
import { newGuid } from '../core/ids.js';

export type { HttpLimits } from './http-client-errors.js';
export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Requests answered from the stream itself, before any body is read: the gateway's
 * (api/gateway/gateway.ts), whose bodies can be larger than any buffer should be.
 */
export interface StreamingHandler {
  claims(req: IncomingMessage): boolean;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Several streaming handlers as one: the first that claims a request serves it. */
export function firstClaiming(...handlers: readonly StreamingHandler[]): StreamingHandler {
  const ownerOf = (req: IncomingMessage) => handlers.find((h) => h.claims(req));
  return {
    claims: (req) => ownerOf(req) !== undefined,
    async serve(req, res) {
      const owner = ownerOf(req);
      if (owner === undefined) throw new Error('a request no handler claimed was served');
      return owner.serve(req, res);
    },
  };
}

export class BodyTooLargeError extends Error {}
/** The connection closed (a timeout, a parse error, the client, shutdown) before the body was in. */
export class ClientGoneError extends Error {}

class BodyTimeoutError extends Error {}

/** A request's whole body, at most `limit` bytes (BodyTooLargeError beyond, without reading on). */
export async function readBody(req: IncomingMessage, limit: number, timeoutMs?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => reject(new BodyTimeoutError()), timeoutMs);
      timer.unref();
      req.once('close', () => clearTimeout(timer));
      req.once('end', () => clearTimeout(timer));
    }
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
    // A body cut short ends in 'error' (aborted) and 'close' without 'end'; without these the
    // request would count as in flight forever and hold up shutdown.
    req.on('error', () => reject(new ClientGoneError()));
    req.on('close', () => reject(new ClientGoneError()));
  });
}


function write(res: ServerResponse, response: HttpResponse, closeConnection = false): void {
  // The connection may be gone (timed out, closed by shutdown): nobody is left to read this.
  if (res.destroyed) return;
  const body = response.bytes ?? response.body;
  const headers: Record<string, string | number> = { ...response.headers, 'content-length': Buffer.byteLength(body) };
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Answers with an error and closes the connection, without reading what is left of the request. */
function refuse(req: IncomingMessage, res: ServerResponse, error: ServiceError): void {
  write(res, errorResponse(error, newGuid()), true);
  req.socket.end();
}

export interface NodeHttpAdapter {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** For node:http's `clientError` event. */
  clientError: (error: Error, socket: Duplex) => void;
  /** Resolves once no request is in flight. */
  drained(): Promise<void>;
  /** Requests being read or handled now. */
  inFlight(): number;
}

export function nodeHttpAdapter(
  handler: RequestHandler,
  limits: HttpLimits,
  onError: (error: unknown) => void,
  streaming?: StreamingHandler,
): NodeHttpAdapter {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    inFlight--;
    if (inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  /** The response being produced on each connection, so a clientError never writes into one already begun. */
  const responding = new WeakMap<Duplex, ServerResponse>();

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // node:http's own check (requireHostHeader) would answer with an empty body; this one is AWS-shaped.
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      refuse(req, res, protocolErrors.malformedHttp('an HTTP/1.1 request needs a Host header'));
      return;
    }
    if (streaming?.claims(req) === true) {
      await streaming.serve(req, res);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, limits.maxBodyBytes, limits.enforceRequestTimeout === true ? limits.requestTimeoutSeconds * 1000 : undefined);
    } catch (error) {
      if (error instanceof ClientGoneError) return;
      if (error instanceof BodyTimeoutError) {
        refuse(req, res, protocolErrors.requestTimeout(limits.headersTimeoutSeconds, limits.requestTimeoutSeconds));
        return;
      }
      if (!(error instanceof BodyTooLargeError)) throw error;
      // Answer now and close: draining an oversize body could take forever.
      refuse(req, res, protocolErrors.requestTooLarge(limits.maxBodyBytes));
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
      const socket = req.socket;
      responding.set(socket, res);
      res.once('close', () => {
        if (responding.get(socket) === res) responding.delete(socket);
      });
      serve(req, res)
        .catch((error: unknown) => {
          onError(error);
          if (!res.headersSent) write(res, errorResponse(protocolErrors.internal(), newGuid()), true);
          else res.destroy();
        })
        .finally(done);
    },
    clientError(error, socket) {
      const inProgress = responding.get(socket);
      // As node:http does by default: answer only where no answer has begun on this connection.
      if (isConnectionGone(error) || !socket.writable || inProgress?.headersSent === true) {
        socket.destroy();
        return;
      }
      // A small response fits the socket's buffer, so 'finish' comes without the client reading;
      // destroying then (not waiting for the client to close) frees the connection at once.
      socket.end(clientErrorResponse(error, limits), () => socket.destroy());
    },
    async drained() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    inFlight: () => inFlight,
  };
}
