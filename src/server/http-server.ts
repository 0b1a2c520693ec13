/**
 * The node:http(s) server with OpenTrail's limits, and its graceful close.
 *
 * Limits: a client has `headersTimeout` seconds to send a request's headers and `requestTimeout`
 * seconds for the whole request; past either it gets `RequestTimeout` (408) and the connection
 * is closed. Unparseable HTTP and oversized headers get AWS-shaped JSON errors too (the
 * adapter's clientError handler), not node:http's bare status lines.
 *
 * Close: stop accepting, close idle connections, wait up to `drainTimeout` for requests in
 * progress, then close every connection that is left, so a client that never finishes its
 * request cannot hold shutdown. Requests already answered were durable before their answer.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Server, ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { NodeHttpAdapter } from '../api/node-http.js';
import { ConfigError } from '../config/config-error.js';
import type { OpenTrailConfig } from '../config/config.js';
import { describeFsError } from '../iam/master-key.js';

/** node:http's default, stated so that the error message can name it. */
export const MAX_HEADER_BYTES = 16 * 1024;
/**
 * How often node:http checks the header and request timeouts. Its default (30 s) let a 10 s
 * header timeout fire only after up to 40 s.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;
/**
 * After the drain timeout closed their connections, how long handlers that had read their
 * request get to finish (their store appends are flushed at close in any case), and how long the
 * server gets to report every connection gone.
 */
const AFTER_DRAIN_GRACE_MS = 2000;

function readTlsFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`cannot read the TLS ${what} file ${file}: ${describeFsError(error)}`, { cause: error });
  }
}

export function hasGateway(config: OpenTrailConfig): boolean {
  return Object.keys(config.upstreams).length > 0;
}

/**
 * Creates the server (not yet listening, no request listener). TLS files are read and checked
 * here, so a bad one fails before any store is opened.
 */
export function createOpenTrailServer(config: OpenTrailConfig): Server {
  const options: ServerOptions = {
    headersTimeout: config.headersTimeout * 1000,
    // With a gateway, node:http's limit is the gateway's (a large object is one long request);
    // the adapter holds OpenTrail's own calls to requestTimeout itself.
    requestTimeout: (hasGateway(config) ? config.gatewayRequestTimeout : config.requestTimeout) * 1000,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    maxHeaderSize: MAX_HEADER_BYTES,
    // The adapter checks Host itself, to answer with an AWS-shaped error.
    requireHostHeader: false,
  };
  let server: Server;
  if (config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined) {
    const cert = readTlsFile(config.tlsCertFile, 'certificate');
    const key = readTlsFile(config.tlsKeyFile, 'key');
    try {
      // A TLS handshake that never completes must not hold a connection longer than headers may.
      server = createHttpsServer({ ...options, cert, key, handshakeTimeout: config.headersTimeout * 1000 });
    } catch (error) {
      throw new ConfigError(`the TLS certificate ${config.tlsCertFile} or key ${config.tlsKeyFile} cannot be used: ${(error as Error).message}`, { cause: error });
    }
  } else {
    server = createHttpServer(options);
  }
  // Idle keep-alive connections stay open a minute, as AWS endpoints do: with a short timeout a
  // client reusing a connection the server is just closing sees its POST fail ("other side
  // closed"), and SDKs do not retry such a POST on their own. Shutdown closes idle ones at once.
  server.keepAliveTimeout = 60_000;
  return server;
}

export function attachAdapter(server: Server, adapter: NodeHttpAdapter): void {
  server.on('request', adapter.listener);
  server.on('clientError', adapter.clientError);
}

/** True when the promise settled within `ms`, false when the time ran out first. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settle = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settle, settle);
  });
}

export async function closeGracefully(server: Server, adapter: NodeHttpAdapter, drainTimeoutSeconds: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  if (!(await settlesWithin(adapter.drained(), drainTimeoutSeconds * 1000))) {
    logger.warn({ inFlight: adapter.inFlight(), drainTimeout: drainTimeoutSeconds }, 'requests still in progress after the drain timeout; closing their connections');
  }
  server.closeAllConnections();
  await settlesWithin(adapter.drained(), AFTER_DRAIN_GRACE_MS);
  await settlesWithin(closed, AFTER_DRAIN_GRACE_MS);
}
