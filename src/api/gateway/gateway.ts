/**
 * The SigV4 gateway: calls to services OpenTrail does not host go through here to their
 * upstream, and each is recorded as CloudTrail records it (docs/gateway.md). The steps are the
 * pipeline's (pipeline.ts), with forwarding in place of a handler:
 *
 *   1. route        the credential scope's service names the upstream (gateway-target.ts);
 *                   S3's SigV2 (no scope) is S3's
 *   2. authenticate SigV4 on the head of the request; the body is checked as it streams.
 *                   S3 SigV2 (../sigv2/) signs no body: it streams unchecked (UNSIGNED-PAYLOAD)
 *   3. operation    from the service's model (match-operation.ts)
 *   4. authorize    the caller's policies for the real action and resource (authorization.ts)
 *   5. journal      the call and the record it has so far, durable (in-flight.ts): an
 *                   overloaded log refuses the call here, before it reaches the upstream. S3's
 *                   GET and HEAD skip the entry (nothing happens until their answer is released)
 *   6. forward      re-signed with the upstream's credentials, the body streamed through
 *   7. record       the upstream's answer completes the record, appended with the journal's
 *                   entry removed, in one transaction
 *   8. respond      the answer is released to the client only once step 7 is durable
 *
 * A call denied, refused or failing before step 6 never reaches the upstream and is recorded
 * with its error (when the caller is known). S3 bodies stream both ways with bounded memory;
 * the other services' bodies are small and read whole, so their inputs can be recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline as pipeStreams } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { newGuid } from '../../core/ids.js';
import { prepareEvent } from '../../core/prepare-event.js';
import type { CloudTrailRecord } from '../../core/record.js';
import type { Caller } from '../../iam/caller.js';
import type { IdentityService } from '../../iam/identity-service.js';
import { evaluate } from '../../iam/policy/index.js';
import { userIdentityOf } from '../../iam/user-identity.js';
import type { EventStore } from '../../store/event-store.js';
import { StoreOverloadedError } from '../../store/event-store.js';
import type { StateChange } from '../../store/state-change.js';
import type { AuthFailureLimiter } from '../auth-failure-limiter.js';
import { authenticateWith } from '../authenticate.js';
import { verifyS3SigV2 } from '../sigv2/index.js';
import { conditionContextOf } from '../condition-context.js';
import type { HttpRequest } from '../http-types.js';
import { authorizationChecks, dataResourceArn } from './authorization.js';
import { dataResourceTypeOf, eventNameOf, isReadOnly } from './cloudtrail-names.js';
import type { ForwardedCall, GatewayRequestView, GatewayResponseView, GatewayServiceModel, MatchedOperation, RecordForm, SignatureVersion } from './contract.js';
import { verifyClientRequest } from './client-signature.js';
import type { ClientBody, ClientVerification } from './client-signature.js';
import { forwardedCallRecord } from './forwarded-record.js';
import { gatewayErrorAnswer, gatewayFailure, recordedFailureCode } from './gateway-errors.js';
import type { FailureKind, GatewayFailure } from './gateway-errors.js';
import { accessKeyIdOf, isS3SigV2, scopeServiceOf, virtualHostBucket } from './gateway-target.js';
import { BodyTooLargeError, clientResponseHeaders, readAll, readBounded, upstreamRequestHeaders, withoutPresignParameters } from './http-bodies.js';
import { closeChange, openChange } from './in-flight.js';
import { clientOriginOf, withClientUrls } from './upstream-urls.js';
import { tlsInfoOf } from '../tls-info.js';
import { fallbackEventName, matchOperation } from './match-operation.js';
import { recordFormOf } from './record-form/index.js';
import type { UpstreamClient } from './upstream-client.js';
import { HOSTED_SERVICES } from '../../config/upstreams.js';

/** Errors and small answers are read whole, so their code and members reach the record. */
const BUFFERED_RESPONSE_LIMIT = 1024 * 1024;

export interface GatewayDeps {
  identity: IdentityService;
  events: EventStore;
  clock: Clock;
  logger: Logger;
  /** The upstream of each service signing name. */
  upstreams: ReadonlyMap<string, UpstreamClient>;
  /** The route tables of the services the gateway knows by model. */
  models: ReadonlyMap<string, GatewayServiceModel>;
  /** Domains for virtual-hosted S3 addressing (`finance.localhost`). */
  s3Domains: readonly string[];
  authFailures: AuthFailureLimiter;
  /** The largest body read whole (every service but S3). */
  bufferedBodyLimit: number;
  /** The region of calls whose signature names none (S3 SigV2); default `us-east-1`. */
  defaultRegion?: string;
}

/** One forwarded call as it moves through the steps. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  model: GatewayServiceModel;
  view: GatewayRequestView;
  receivedMs: number;
  requestId: string;
  eventId: string;
  region: string;
  caller?: Caller;
  matched?: MatchedOperation;
  authenticationMethod: 'AuthHeader' | 'QueryString';
  signatureVersion: SignatureVersion;
  /** The bucket a virtual-hosted S3 request names in its Host. */
  virtualHostBucket?: string;
  /** True once the client's body has been consumed (or it had none to send). */
  bodyConsumed: boolean;
}

/** A model for a service the gateway forwards without knowing its operations. */
function unmodelled(service: string, req: IncomingMessage): GatewayServiceModel {
  return {
    signingName: service,
    eventSource: `${service}.amazonaws.com`,
    protocol: req.headers['x-amz-target'] !== undefined ? 'json' : 'rest-json',
    apiVersion: '',
    operations: [],
  };
}


export class Gateway {
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  /**
   * Whether a request is the gateway's: signed for a service OpenTrail does not host, or signed
   * with S3's SigV2 (S3 is never hosted).
   */
  claims(req: IncomingMessage): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const query = q < 0 ? '' : url.slice(q + 1);
    const service = scopeServiceOf(req.headers, query);
    if (service === undefined) return isS3SigV2(req.headers, query);
    return !HOSTED_SERVICES.has(service);
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const exchange = this.#newExchange(req, res);
    try {
      await this.#run(exchange);
    } catch (error) {
      this.#deps.logger.error({ err: error, requestId: exchange.requestId }, 'forwarding a call failed');
      if (!res.headersSent) this.#answerFailure(exchange, gatewayFailure('internal', exchange.model.protocol, exchange.model.signingName, 'We encountered an internal error. Please try again.'));
      else res.destroy();
    }
  }

  #newExchange(req: IncomingMessage, res: ServerResponse): Exchange {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const scoped = scopeServiceOf(req.headers, query);
    const sigV2 = scoped === undefined && isS3SigV2(req.headers, query);
    const service = scoped ?? (sigV2 ? 's3' : 'unknown');
    const model = this.#deps.models.get(service) ?? unmodelled(service, req);
    const host = req.headers.host ?? '';
    const bucket = service === 's3' ? virtualHostBucket(host, this.#deps.s3Domains) : undefined;
    return {
      req,
      res,
      model,
      view: { method: req.method ?? 'GET', path: bucket === undefined ? rawPath : `/${bucket}${rawPath}`, query, headers: req.headers, host, bytesIn: 0 },
      receivedMs: this.#deps.clock.now(),
      requestId: newGuid(),
      eventId: newGuid(),
      region: this.#deps.defaultRegion ?? 'us-east-1',
      authenticationMethod: sigV2 ? (req.headers.authorization === undefined ? 'QueryString' : 'AuthHeader') : /(?:^|&)X-Amz-Signature=/i.test(query) ? 'QueryString' : 'AuthHeader',
      signatureVersion: sigV2 ? 'SigV2' : 'SigV4',
      ...(bucket !== undefined && { virtualHostBucket: bucket }),
      bodyConsumed: false,
    };
  }

  async #run(x: Exchange): Promise<void> {
    const { model, req } = x;
    const streamed = model.signingName === 's3';
    // 2. authenticate. Bodies that are read whole are read first: their signature covers them.
    if (!streamed) {
      try {
        x.view = { ...x.view, body: await readAll(req, this.#deps.bufferedBodyLimit) };
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) return; // the client went away
        this.#answerFailure(x, this.#failure(x, 'bodyTooLarge', `The request body is larger than the gateway's limit of ${this.#deps.bufferedBodyLimit} bytes.`));
        return;
      }
      x.bodyConsumed = true;
      x.view = { ...x.view, bytesIn: x.view.body?.length ?? 0 };
    }
    const request = { method: x.view.method, path: req.url?.split('?')[0] ?? '/', query: x.view.query, headers: req.headers };
    const auth = await authenticateWith(accessKeyIdOf(req.headers, x.view.query), [model.signingName], this.#deps.identity, x.receivedMs, (lookupSecret) =>
      x.signatureVersion === 'SigV2'
        ? this.#verifySigV2(x, request.path, lookupSecret)
        : verifyClientRequest(request, x.view.body, { services: [model.signingName], nowMs: x.receivedMs, lookupSecret, s3: streamed }),
    );
    if (auth.region !== undefined) x.region = auth.region;
    if (auth.caller !== undefined) x.caller = auth.caller;
    // 3. operation (known before the outcome of authentication, so a failure is recorded by name)
    const matched = matchOperation(model, x.view);
    if (matched !== undefined) x.matched = matched;
    if (!auth.ok) {
      const failure = { code: auth.error.code, message: auth.error.message, status: auth.error.httpStatus };
      const recorded = auth.caller !== undefined && this.#deps.authFailures.admit(auth.caller, x.region, auth.error.code, this.#sourceIp(x), x.receivedMs);
      await this.#failBeforeForwarding(x, failure, recorded);
      return;
    }
    const caller = auth.caller;
    this.#deps.identity.noteKeyUsed(caller, model.signingName, x.region, x.receivedMs);

    // 4. authorize
    const checks = authorizationChecks(model, matched, x.view, x.region, caller.accountId);
    const policies = await this.#deps.identity.policiesOf(caller);
    const conditions = conditionContextOf(caller, this.#asHttpRequest(x), x.region, x.receivedMs);
    for (const check of checks) {
      const decision = evaluate({ action: check.action, resource: check.resource, context: conditions }, policies);
      if (decision !== 'Allow') {
        const because = decision === 'ExplicitDeny' ? 'an explicit deny in an identity-based policy' : `no identity-based policy allows the ${check.action} action`;
        await this.#failBeforeForwarding(x, this.#failure(x, 'accessDenied', `User: ${caller.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} because ${because}`), true);
        return;
      }
    }
    const upstream = this.#deps.upstreams.get(model.signingName);
    if (upstream === undefined) {
      await this.#failBeforeForwarding(x, this.#failure(x, 'noUpstream', `OpenTrail has no upstream for the service ${model.signingName}; start it with --upstream ${model.signingName}=URL.`), true);
      return;
    }

    // 5. journal. A safe read has no effect until its answer is released, which waits for its
    // record: it needs no journal entry, only a log that is not overloaded.
    const journaled = !isSafeRead(x);
    if (!journaled && !this.#deps.events.hasCapacity(1)) {
      this.#answerFailure(x, this.#failure(x, 'overloaded', 'Too many calls are waiting to be recorded; reduce your request rate.'));
      return;
    }
    try {
      if (journaled) {
        const opened = this.#record(x, caller, this.#form(x, undefined));
        await this.#deps.events.append([], [openChange(x.eventId, caller.accountId, x.region, opened, x.receivedMs)]);
      }
    } catch (error) {
      const kind: FailureKind = error instanceof StoreOverloadedError ? 'overloaded' : 'internal';
      if (kind === 'internal') this.#deps.logger.error({ err: error, requestId: x.requestId }, 'journaling a forwarded call failed');
      this.#answerFailure(x, this.#failure(x, kind, kind === 'overloaded' ? 'Too many calls are waiting to be recorded; reduce your request rate.' : 'We encountered an internal error. Please try again.'));
      return;
    }

    // 6. forward
    const outcome = await this.#forward(x, upstream, auth.verified?.body);
    // 7. record
    const form = outcome.kind === 'answered' ? this.#form(x, outcome.response) : this.#failedForm(x, outcome.failure);
    try {
      await this.#deps.events.append([prepareEvent(caller.accountId, x.region, this.#record(x, caller, form))], journaled ? [closeChange(x.eventId)] : []);
    } catch (error) {
      // Not released: the client is told the call failed; the journal entry stays, and the next
      // start records the call as of unknown outcome (it did reach the upstream).
      if (outcome.kind === 'answered') outcome.rest?.destroy();
      this.#deps.logger.error({ err: error, requestId: x.requestId }, 'recording a forwarded call failed');
      const kind: FailureKind = error instanceof StoreOverloadedError ? 'overloaded' : 'internal';
      this.#answerFailure(x, this.#failure(x, kind, 'The call reached its service but could not be recorded; its outcome is unknown.'));
      return;
    }
    // 8. respond
    if (outcome.kind === 'failed') {
      this.#answerFailure(x, outcome.failure);
      return;
    }
    await this.#release(x, outcome);
  }

  /**
   * S3 SigV2: the head is all that is signed (a Content-MD5 only when given, which the upstream
   * then checks), so the body streams through unchecked, signed upstream as UNSIGNED-PAYLOAD.
   * No region is signed: the call keeps the default region.
   */
  #verifySigV2(x: Exchange, rawPath: string, lookupSecret: (accessKeyId: string) => string | undefined): ClientVerification {
    const result = verifyS3SigV2(
      { method: x.view.method, path: rawPath, query: x.view.query, headers: x.req.headersDistinct },
      { nowMs: x.receivedMs, lookupSecret, ...(x.virtualHostBucket !== undefined && { virtualHostBucket: x.virtualHostBucket }) },
    );
    if (!result.ok) return { ok: false, error: result.error };
    return { ok: true, region: x.region, ...(result.sessionToken !== undefined && { sessionToken: result.sessionToken }), body: { upstreamPayloadHash: 'UNSIGNED-PAYLOAD' } };
  }

  #sourceIp(x: Exchange): string {
    return (x.req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }

  #asHttpRequest(x: Exchange): HttpRequest {
    return { method: x.view.method, path: x.view.path, query: x.view.query, headers: x.req.headers, body: Buffer.alloc(0), remoteAddress: x.req.socket.remoteAddress ?? 'unknown' };
  }

  #failure(x: Exchange, kind: FailureKind, message: string): GatewayFailure {
    return gatewayFailure(kind, x.model.protocol, x.model.signingName, message);
  }

  /** A call that never reached the upstream: recorded with its error (when `record`), then answered. */
  async #failBeforeForwarding(x: Exchange, failure: GatewayFailure, record: boolean): Promise<void> {
    if (record && x.caller !== undefined) {
      try {
        await this.#deps.events.append([prepareEvent(x.caller.accountId, x.region, this.#record(x, x.caller, this.#failedForm(x, failure)))]);
      } catch (error) {
        if (!(error instanceof StoreOverloadedError)) this.#deps.logger.error({ err: error, requestId: x.requestId }, 'recording a refused call failed');
        this.#answerFailure(x, this.#failure(x, error instanceof StoreOverloadedError ? 'overloaded' : 'internal', 'The call could not be recorded; it was not forwarded.'));
        return;
      }
    }
    this.#answerFailure(x, failure);
  }

  #answerFailure(x: Exchange, failure: GatewayFailure): void {
    const { res } = x;
    if (res.headersSent || res.destroyed) return;
    const answer = gatewayErrorAnswer(failure, x.model.protocol, x.model.signingName, x.requestId);
    // A body not read is not drained (it may be a gigabyte): the connection closes instead.
    const headers: Record<string, string | number> = { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) };
    if (!x.bodyConsumed) headers.connection = 'close';
    res.writeHead(failure.status, headers);
    res.end(x.view.method === 'HEAD' ? undefined : answer.body);
  }

  #facts(x: Exchange): { eventName: string; readOnly: boolean; dataResourceType?: string } {
    const operation = x.matched?.operation;
    if (operation === undefined) return { eventName: fallbackEventName(x.model, x.view), readOnly: /^(GET|HEAD)$/.test(x.view.method) };
    const dataResourceType = dataResourceTypeOf(x.model, operation);
    return {
      eventName: x.matched?.eventName ?? eventNameOf(x.model, operation),
      readOnly: isReadOnly(x.model, operation),
      ...(dataResourceType !== undefined && { dataResourceType }),
    };
  }

  #forwardedCall(x: Exchange, response: GatewayResponseView | undefined): ForwardedCall {
    const tls = tlsInfoOf(x.req);
    return {
      model: x.model,
      ...(x.matched !== undefined && { matched: x.matched }),
      request: x.view,
      ...(response !== undefined && { response }),
      region: x.region,
      resourceAccountId: x.caller?.accountId ?? '',
      authenticationMethod: x.authenticationMethod,
      ...(x.signatureVersion === 'SigV2' && { signatureVersion: x.signatureVersion }),
      ...(tls !== undefined && { cipherSuite: tls.cipherSuite }),
    };
  }

  #form(x: Exchange, response: GatewayResponseView | undefined): RecordForm {
    const facts = this.#facts(x);
    const form = recordFormOf(this.#forwardedCall(x, response), facts);
    const type = facts.dataResourceType;
    if (type === undefined || form.resources.some((r) => r.type === type)) return form;
    // Data-event selectors select on the resource: a data event always names it.
    const arn = dataResourceArn(x.model, x.matched, x.view, x.region, x.caller?.accountId ?? '');
    return arn === undefined ? form : { ...form, resources: [{ accountId: x.caller?.accountId ?? '', type, ARN: arn }, ...form.resources] };
  }

  /** The form of a call the gateway failed itself: the request as known, the gateway's error. */
  #failedForm(x: Exchange, failure: GatewayFailure): RecordForm {
    const form = this.#form(x, undefined);
    return { ...form, responseElements: null, error: { code: recordedFailureCode(failure, x.model.protocol), message: failure.message } };
  }

  #record(x: Exchange, caller: Caller, form: RecordForm): CloudTrailRecord {
    const tls = tlsInfoOf(x.req);
    return forwardedCallRecord(
      {
        identity: userIdentityOf(caller),
        accountId: caller.accountId,
        eventSource: x.model.eventSource,
        region: x.region,
        timeMs: x.receivedMs,
        sourceIPAddress: this.#sourceIp(x),
        userAgent: (typeof x.req.headers['user-agent'] === 'string' ? x.req.headers['user-agent'] : '').slice(0, 1024),
        eventId: x.eventId,
        gatewayRequestId: x.requestId,
        ...(tls !== undefined && { tls: { ...tls, clientProvidedHostHeader: x.view.host } }),
      },
      form,
    );
  }

  async #forward(x: Exchange, upstream: UpstreamClient, body: ClientBody | undefined): Promise<ForwardOutcome> {
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
      this.#deps.logger.warn({ err: error, service: x.model.signingName }, 'the upstream call could not be signed');
      return { kind: 'failed', failure: this.#failure(x, 'upstreamDown', `The upstream of ${x.model.signingName} could not be called: its credentials could not be resolved.`) };
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
          clientFailure = failureOfBody(error, x) ?? this.#failure(x, 'internal', 'The request body was not received completely.');
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
      this.#deps.logger.warn({ err: error, service: x.model.signingName, upstream: upstream.url.origin }, 'the upstream is unreachable');
      return { kind: 'failed', failure: this.#failure(x, 'upstreamDown', `The upstream of ${x.model.signingName} did not answer: ${(error as Error).message}.`) };
    }
    await sent;
    if (clientFailure !== undefined) {
      response.destroy();
      return { kind: 'failed', failure: clientFailure };
    }
    return this.#readAnswer(x, response, upstream.url.origin);
  }

  /** The upstream's answer: errors and small answers read whole, payloads left to stream. */
  async #readAnswer(x: Exchange, response: IncomingMessage, upstreamOrigin: string): Promise<ForwardOutcome> {
    const status = response.statusCode ?? 502;
    const isError = status >= 300 && status !== 304;
    const streamsOutput = x.view.body === undefined && !isError && (x.matched === undefined || x.model.operations.find((o) => o.name === x.matched?.operation)?.streamingOutput === true);
    const limit = x.view.body === undefined ? BUFFERED_RESPONSE_LIMIT : this.#deps.bufferedBodyLimit;
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

  async #release(x: Exchange, outcome: Extract<ForwardOutcome, { kind: 'answered' }>): Promise<void> {
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
    } catch {
      // The client or the upstream went away mid-body: the record already says what was asked and answered.
      outcome.rest.destroy();
    }
  }

  /** Closes the upstreams' connections. */
  close(): void {
    for (const upstream of this.#deps.upstreams.values()) upstream.close();
  }
}

/**
 * A call that changes nothing upstream: S3's GET and HEAD (HTTP's safe methods, which S3
 * keeps safe). Not CloudTrail's readOnly: SQS ReceiveMessage is "read-only" and hides the
 * messages it receives, and every call of the JSON and Query services is a POST.
 */
function isSafeRead(x: Exchange): boolean {
  return x.model.signingName === 's3' && (x.view.method === 'GET' || x.view.method === 'HEAD');
}

type ForwardOutcome =
  | { kind: 'answered'; response: GatewayResponseView; head: Buffer; rest?: IncomingMessage }
  | { kind: 'failed'; failure: GatewayFailure };

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

export type { StateChange };
