/**
 * What a client is told when node:http gives up on its connection before a request reaches the
 * adapter (node:http's `clientError`): AWS-shaped JSON errors like every other answer, where
 * Node itself would send a bare status line with an empty body.
 */
import { errorResponse } from './aws-json.js';
import { protocolErrors } from './errors.js';
import type { ServiceError } from './errors.js';
import { rawHttpResponse } from './raw-http-response.js';
import { newGuid } from '../core/ids.js';

export interface HttpLimits {
  maxBodyBytes: number;
  /** Node's maxHeaderSize: the request line and headers together. */
  maxHeaderBytes: number;
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  /**
   * Set when node:http's own request timeout is longer (the gateway's): the adapter then holds
   * the calls it reads whole to `requestTimeoutSeconds` itself.
   */
  enforceRequestTimeout?: boolean;
}

/** Errors of the connection itself: nobody is left to answer. */
const CONNECTION_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

export function isConnectionGone(error: Error): boolean {
  return CONNECTION_GONE.has((error as NodeJS.ErrnoException).code ?? '');
}

/** The ServiceError for a clientError: timeouts, oversized headers, and HTTP that llhttp refused. */
export function serviceErrorOfClientError(error: Error, limits: HttpLimits): ServiceError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return protocolErrors.requestTimeout(limits.headersTimeoutSeconds, limits.requestTimeoutSeconds);
  if (code === 'HPE_HEADER_OVERFLOW') return protocolErrors.headersTooLarge(limits.maxHeaderBytes);
  // llhttp's reason says what was wrong ("Invalid character in chunk size"); the code is a fallback.
  const reason = (error as { reason?: unknown }).reason;
  return protocolErrors.malformedHttp(typeof reason === 'string' && reason !== '' ? reason : (code ?? error.message));
}

/** The bytes to write on the socket for a clientError. */
export function clientErrorResponse(error: Error, limits: HttpLimits): Buffer {
  return rawHttpResponse(errorResponse(serviceErrorOfClientError(error, limits), newGuid()));
}
