/**
 * Step 6 of a forwarded call (gateway.ts): the call signed again for its upstream with the
 * client's body streamed through its check, the upstream's answer read as far as its record
 * needs, and, once the record is durable, that answer released to the client.
 */
import type { IncomingMessage } from 'node:http';
import { pipeline as pipeStreams } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import type { Logger } from 'pino';
import { tlsInfoOf } from '../tls-info.js';
import type { ClientBody } from './client-signature.js';
import type { GatewayResponseView } from './contract.js';
import type { Exchange } from './exchange.js';
import { failureFor } from './exchange.js';
import { gatewayFailure } from './gateway-errors.js';
import type { GatewayFailure } from './gateway-errors.js';
import { clientResponseHeaders, readBounded, upstreamRequestHeaders, withoutPresignParameters } from './http-bodies.js';
import type { UpstreamClient } from './upstream-client.js';
import { clientOriginOf, withClientUrls } from './upstream-urls.js';

/** Errors and small answers are read whole, so their code and members reach the record. */
const BUFFERED_RESPONSE_LIMIT = 1024 * 1024;

export interface ForwardDeps {
  logger: Logger;
  /** The largest body read whole (every service but S3). */
  bufferedBodyLimit: number;
}

export type ForwardOutcome =
  | { kind: 'answered'; response: GatewayResponseView; head: Buffer; rest?: IncomingMessage }
  | { kind: 'failed'; failure: GatewayFailure };

export async function forward(deps: ForwardDeps, x: Exchange, upstream: UpstreamClient, body: ClientBody | undefined): Promise<ForwardOutcome> {
  const streamed = x.view.body === undefined;
  const decodesChunks = body?.decoder !== undefined;
  const headers = upstreamRequestHeaders(x.req.headers, decodesChunks);
  const length = body?.decodedLength ?? (x.view.body !== undefined ? x.view.body.length : undefined);
  const contentLength = length ?? (x.req.headers['content-length'] !== undefined ? Number(x.req.headers['content-length']) : undefined);
  if (contentLength !== undefined && Number.isFinite(contentLength)) headers['content-length'] = String(contentLength);
  let upstreamRequest;
  try {
    upstreamRequest = await upstream.open({
      method: x.view.method,
      path: x.view.path,
      query: withoutPresignParameters(x.view.query, x.signatureVersion === 'SigV2'),
      headers,
      region: x.region,
      service: x.model.signingName,
      ...(streamed ? { payloadHash: body?.upstreamPayloadHash ?? 'UNSIGNED-PAYLOAD' } : {}),
      ...(x.view.body !== undefined && { body: x.view.body }),
    });
  } catch (error) {
    deps.logger.warn({ err: error, service: x.model.signingName }, 'the upstream call could not be signed');
    return { kind: 'failed', failure: failureFor(x, 'upstreamDown', `The upstream of ${x.model.signingName} could not be called: its credentials could not be resolved.`) };
  }
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstreamRequest.once('response', resolve);
    upstreamRequest.once('error', reject);
  });
  let clientFailure: GatewayFailure | undefined;
  let sent: Promise<void>;
  if (!streamed) {
    upstreamRequest.end(x.view.body);
    sent = Promise.resolve();
  } else {
    // The client's bytes pass through the verifier (payload hash or chunk signatures): it holds
    // back the last of them until all is verified, so a bad body never completes upstream.
    let bytes = 0;
    const verifier: Transform | undefined = body?.verifier;
    const counted: Readable = verifier ?? x.req;
    counted.on('data', (chunk: Buffer) => (bytes += chunk.length));
    sent = (verifier === undefined ? pipeStreams(x.req, upstreamRequest) : pipeStreams(x.req, verifier, upstreamRequest)).then(
      () => {
        x.bodyConsumed = true;
        x.view = { ...x.view, bytesIn: bytes };
      },
      (error: unknown) => {
        x.view = { ...x.view, bytesIn: bytes };
        clientFailure = failureOfBody(error, x) ?? failureFor(x, 'internal', 'The request body was not received completely.');
        upstreamRequest.destroy();
      },
    );
  }
  let response: IncomingMessage;
  try {
    response = await answered;
  } catch (error) {
    await sent;
    if (clientFailure !== undefined) return { kind: 'failed', failure: clientFailure };
    deps.logger.warn({ err: error, service: x.model.signingName, upstream: upstream.url.origin }, 'the upstream is unreachable');
    return { kind: 'failed', failure: failureFor(x, 'upstreamDown', `The upstream of ${x.model.signingName} did not answer: ${(error as Error).message}.`) };
  }
  await sent;
  if (clientFailure !== undefined) {
    response.destroy();
    return { kind: 'failed', failure: clientFailure };
  }
  return readAnswer(deps, x, response, upstream.url.origin);
}

/** The upstream's answer: errors and small answers read whole, payloads left to stream. */
export async function readAnswer(deps: ForwardDeps, x: Exchange, response: IncomingMessage, upstreamOrigin: string): Promise<ForwardOutcome> {
  const status = response.statusCode ?? 502;
  const isError = status >= 300 && status !== 304;
  const streamsOutput = x.view.body === undefined && !isError && (x.matched === undefined || x.model.operations.find((o) => o.name === x.matched?.operation)?.streamingOutput === true);
  const limit = x.view.body === undefined ? BUFFERED_RESPONSE_LIMIT : deps.bufferedBodyLimit;
  const declared = Number(response.headers['content-length']);
  if (x.view.method === 'HEAD' || streamsOutput) {
    return { kind: 'answered', response: { status, headers: response.headers, bytesOut: Number.isFinite(declared) ? declared : 0 }, rest: response, head: Buffer.alloc(0) };
  }
  const read = await readBounded(response, limit);
  if (read.complete) {
    const clientOrigin = clientOriginOf(x.view.host, tlsInfoOf(x.req) !== undefined);
    const body = clientOrigin === undefined ? read.head : withClientUrls(read.head, upstreamOrigin, clientOrigin);
    // The length is the rewritten body's; an encoded (compressed) body is left as it came.
    const encoded = response.headers['content-encoding'] !== undefined && response.headers['content-encoding'] !== 'identity';
    const answer = encoded ? read.head : body;
    const headers = answer === read.head ? response.headers : { ...response.headers, 'content-length': String(answer.length) };
    return { kind: 'answered', response: { status, headers, body: answer, bytesOut: answer.length }, head: answer };
  }
  return { kind: 'answered', response: { status, headers: response.headers, bytesOut: Number.isFinite(declared) ? declared : read.head.length }, rest: response, head: read.head };
}

export async function release(deps: ForwardDeps, x: Exchange, outcome: Extract<ForwardOutcome, { kind: 'answered' }>): Promise<void> {
  const { res } = x;
  const headers = clientResponseHeaders(outcome.response.headers);
  if (!x.bodyConsumed) headers.connection = 'close';
  res.writeHead(outcome.response.status, headers);
  if (outcome.rest === undefined) {
    res.end(outcome.head);
    return;
  }
  if (outcome.head.length > 0) res.write(outcome.head);
  try {
    await pipeStreams(outcome.rest, res);
  } catch (error) {
    // The client or the upstream went away mid-body. The record is already durable and says what
    // was asked and what the upstream announced; the log says the answer did not arrive whole.
    outcome.rest.destroy();
    deps.logger.warn(
      { err: error, eventId: x.eventId, requestId: x.requestId, bytesAnnounced: outcome.response.bytesOut },
      'a forwarded answer was cut short on its way to the client',
    );
  }
}

/** The client-facing failure a body verifier raised (a bad chunk signature, a wrong hash). */
function failureOfBody(error: unknown, x: Exchange): GatewayFailure | undefined {
  const e = error as { code?: unknown; message?: unknown; httpStatus?: unknown; status?: unknown };
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return undefined;
  const status = typeof e.httpStatus === 'number' ? e.httpStatus : typeof e.status === 'number' ? e.status : 400;
  if (e.code === 'ECONNRESET' || e.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return gatewayFailure('internal', x.model.protocol, x.model.signingName, 'The client closed the connection before the request body was complete.');
  }
  return { code: e.code, message: e.message, status };
}
