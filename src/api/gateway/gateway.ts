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
import type { Logger } from 'pino';
import { HOSTED_SERVICES } from '../../config/upstreams.js';
import type { Clock } from '../../core/clock.js';
import type { IdentityService } from '../../iam/identity-service.js';
import { evaluate } from '../../iam/policy/index.js';
import type { BucketOwners } from '../../store/bucket-owners.js';
import type { EventStore } from '../../store/event-store.js';
import type { StateChange } from '../../store/state-change.js';
import { StoreOverloadedError } from '../../store/event-store.js';
import type { AuthFailureLimiter } from '../auth-failure-limiter.js';
import { authenticateWith } from '../authenticate.js';
import { conditionContextOf } from '../condition-context.js';
import { verifyS3SigV2 } from '../sigv2/index.js';
import { authorizationChecks } from './authorization.js';
import { verifyClientRequest } from './client-signature.js';
import type { ClientVerification } from './client-signature.js';
import type { GatewayServiceModel } from './contract.js';
import { asHttpRequest, failedFormOf, failureFor, formOf, isSafeRead, newExchange, preparedRecordsOf, recordOf, sourceIpOf } from './exchange.js';
import type { Exchange } from './exchange.js';
import { forward, release } from './forward.js';
import type { ForwardOutcome } from './forward.js';
import { withoutBuckets } from './bucket-listing.js';
import { gatewayErrorAnswer } from './gateway-errors.js';
import type { FailureKind, GatewayFailure } from './gateway-errors.js';
import { accessKeyIdOf, hasDotSegment, isS3SigV2, scopeServiceOf } from './gateway-target.js';
import { BodyTooLargeError, readAll } from './http-bodies.js';
import { closeChange, openChange } from './in-flight.js';
import { matchOperation } from './match-operation.js';
import type { UpstreamClient } from './upstream-client.js';

export interface GatewayDeps {
  identity: IdentityService;
  events: EventStore;
  /** Who owns the buckets made through the gateway. */
  bucketOwners: BucketOwners;
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
    const exchange = newExchange(req, res, this.#deps);
    try {
      await this.#run(exchange);
    } catch (error) {
      this.#deps.logger.error({ err: error, requestId: exchange.requestId }, 'forwarding a call failed');
      if (!res.headersSent) this.#answerFailure(exchange, failureFor(exchange, 'internal', 'We encountered an internal error. Please try again.'));
      else res.destroy();
    }
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
        this.#answerFailure(x, failureFor(x, 'bodyTooLarge', `The request body is larger than the gateway's limit of ${this.#deps.bufferedBodyLimit} bytes.`));
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
      const recorded = auth.caller !== undefined && this.#deps.authFailures.admit(auth.caller, x.region, auth.error.code, sourceIpOf(x), x.receivedMs);
      await this.#failBeforeForwarding(x, failure, recorded);
      return;
    }
    const caller = auth.caller;
    this.#deps.identity.noteKeyUsed(caller, model.signingName, x.region, x.receivedMs);

    if (hasDotSegment(x.view.path)) {
      await this.#failBeforeForwarding(x, failureFor(x, 'unsafePath', 'The path has a "." or ".." segment, which this gateway does not forward: the resource it names depends on who resolves it.'), true);
      return;
    }

    // 4. authorize: the bucket's owner first (another account's bucket is refused, as S3 refuses
    // it without a bucket policy allowing it), then the caller's policies
    const refusal = await this.#otherAccountsBucket(x, caller.accountId);
    if (refusal !== undefined) {
      await this.#failBeforeForwarding(x, failureFor(x, 'accessDenied', `User: ${caller.arn} is not authorized to access the bucket ${refusal}: it belongs to another account`), true);
      return;
    }
    const checks = authorizationChecks(model, matched, x.view, x.region, caller.accountId);
    const policies = await this.#deps.identity.policiesOf(caller);
    const conditions = conditionContextOf(caller, asHttpRequest(x), x.region, x.receivedMs);
    for (const check of checks) {
      const decision = evaluate({ action: check.action, resource: check.resource, context: conditions }, policies);
      if (decision !== 'Allow') {
        const because = decision === 'ExplicitDeny' ? 'an explicit deny in an identity-based policy' : `no identity-based policy allows the ${check.action} action`;
        await this.#failBeforeForwarding(x, failureFor(x, 'accessDenied', `User: ${caller.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} because ${because}`), true);
        return;
      }
    }
    const upstream = this.#deps.upstreams.get(model.signingName);
    if (upstream === undefined) {
      await this.#failBeforeForwarding(x, failureFor(x, 'noUpstream', `OpenTrail has no upstream for the service ${model.signingName}; start it with --upstream ${model.signingName}=URL.`), true);
      return;
    }

    // 5. journal. A safe read has no effect until its answer is released, which waits for its
    // record: it needs no journal entry, only a log that is not overloaded.
    const journaled = !isSafeRead(x);
    if (!journaled && !this.#deps.events.hasCapacity(1)) {
      this.#answerFailure(x, failureFor(x, 'overloaded', 'Too many calls are waiting to be recorded; reduce your request rate.'));
      return;
    }
    try {
      if (journaled) {
        const opened = recordOf(x, caller, formOf(x, undefined));
        await this.#deps.events.append([], [openChange(x.eventId, caller.accountId, x.region, opened, x.receivedMs)]);
      }
    } catch (error) {
      const kind: FailureKind = error instanceof StoreOverloadedError ? 'overloaded' : 'internal';
      if (kind === 'internal') this.#deps.logger.error({ err: error, requestId: x.requestId }, 'journaling a forwarded call failed');
      this.#answerFailure(x, failureFor(x, kind, kind === 'overloaded' ? 'Too many calls are waiting to be recorded; reduce your request rate.' : 'We encountered an internal error. Please try again.'));
      return;
    }

    // 6. forward
    const outcome = await this.#ownBucketsOnly(x, caller.accountId, await forward(this.#deps, x, upstream, auth.verified?.body));
    // 7. record
    const form = outcome.kind === 'answered' ? formOf(x, outcome.response) : failedFormOf(x, outcome.failure);
    try {
      const changes = [...(journaled ? [closeChange(x.eventId)] : []), ...(outcome.kind === 'answered' ? bucketChanges(x, caller.accountId, outcome.response.status) : [])];
      await this.#deps.events.append(preparedRecordsOf(x, caller, form), changes);
    } catch (error) {
      // Not released: the client is told the call failed; the journal entry stays, and the next
      // start records the call as of unknown outcome (it did reach the upstream).
      if (outcome.kind === 'answered') outcome.rest?.destroy();
      this.#deps.logger.error({ err: error, requestId: x.requestId }, 'recording a forwarded call failed');
      const kind: FailureKind = error instanceof StoreOverloadedError ? 'overloaded' : 'internal';
      this.#answerFailure(x, failureFor(x, kind, 'The call reached its service but could not be recorded; its outcome is unknown.'));
      return;
    }
    // 8. respond
    if (outcome.kind === 'failed') {
      this.#answerFailure(x, outcome.failure);
      return;
    }
    await release(this.#deps, x, outcome);
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

  /**
   * The bucket of the call, or of its copy source, that another account owns; undefined when
   * none does. Notes the called bucket's owner on the exchange, for the record's resources.
   */
  async #otherAccountsBucket(x: Exchange, accountId: string): Promise<string | undefined> {
    if (x.model.signingName !== 's3') return undefined;
    const bucket = x.matched?.uriParams.Bucket;
    const source = copySourceBucket(x);
    for (const name of [bucket, source]) {
      if (name === undefined) continue;
      const owner = await this.#deps.bucketOwners.ownerOf(name);
      if (name === bucket && owner !== undefined) x.bucketOwner = owner;
      if (owner !== undefined && owner !== accountId) return name;
    }
    return undefined;
  }

  /** A ListBuckets answer without the buckets other accounts made through the gateway. */
  async #ownBucketsOnly(x: Exchange, accountId: string, outcome: ForwardOutcome): Promise<ForwardOutcome> {
    if (x.model.signingName !== 's3' || x.matched?.operation !== 'ListBuckets' || outcome.kind !== 'answered') return outcome;
    const body = outcome.response.body;
    if (outcome.response.status !== 200 || body === undefined || outcome.rest !== undefined) return outcome;
    const kept = withoutBuckets(body, await this.#deps.bucketOwners.ownedByOthers(accountId));
    if (kept === body) return outcome;
    const headers = { ...outcome.response.headers, 'content-length': String(kept.length) };
    return { kind: 'answered', response: { ...outcome.response, headers, body: kept, bytesOut: kept.length }, head: kept };
  }

  /** A call that never reached the upstream: recorded with its error (when `record`), then answered. */
  async #failBeforeForwarding(x: Exchange, failure: GatewayFailure, record: boolean): Promise<void> {
    if (record && x.caller !== undefined) {
      try {
        await this.#deps.events.append(preparedRecordsOf(x, x.caller, failedFormOf(x, failure)));
      } catch (error) {
        if (!(error instanceof StoreOverloadedError)) this.#deps.logger.error({ err: error, requestId: x.requestId }, 'recording a refused call failed');
        this.#answerFailure(x, failureFor(x, error instanceof StoreOverloadedError ? 'overloaded' : 'internal', 'The call could not be recorded; it was not forwarded.'));
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

  /** Closes the upstreams' connections. */
  close(): void {
    for (const upstream of this.#deps.upstreams.values()) upstream.close();
  }
}

/** The bucket of a CopyObject / UploadPartCopy source (`x-amz-copy-source: /bucket/key`). */
function copySourceBucket(x: Exchange): string | undefined {
  const header = x.req.headers['x-amz-copy-source'];
  if (typeof header !== 'string') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    decoded = header;
  }
  const bucket = decoded.replace(/^\//, '').split('/')[0];
  return bucket === undefined || bucket === '' ? undefined : bucket;
}

/** A bucket made or deleted through the gateway changes hands with the call's record. */
function bucketChanges(x: Exchange, accountId: string, status: number): StateChange[] {
  const bucket = x.matched?.uriParams.Bucket;
  if (x.model.signingName !== 's3' || bucket === undefined) return [];
  if (x.matched?.operation === 'CreateBucket' && status === 200) return [{ kind: 'claimBucket', bucket, accountId, timeMs: x.receivedMs }];
  if (x.matched?.operation === 'DeleteBucket' && status >= 200 && status < 300) return [{ kind: 'releaseBucket', bucket }];
  return [];
}
