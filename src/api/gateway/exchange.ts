/**
 * One forwarded call as the gateway's steps see it (gateway.ts), and the CloudTrail record it
 * makes: its facts, its record form (record-form/) and the record itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudTrailRecord } from '../../core/record.js';
import type { Clock } from '../../core/clock.js';
import { newGuid } from '../../core/ids.js';
import { prepareEvent } from '../../core/prepare-event.js';
import type { PreparedEvent } from '../../store/event-store.js';
import type { Caller } from '../../iam/caller.js';
import { userIdentityOf } from '../../iam/user-identity.js';
import type { HttpRequest } from '../http-types.js';
import { tlsInfoOf } from '../tls-info.js';
import { dataResourceArn } from './authorization.js';
import { dataResourceTypeOf, eventNameOf, isReadOnly } from './cloudtrail-names.js';
import type { ForwardedCall, GatewayRequestView, GatewayResponseView, GatewayServiceModel, MatchedOperation, RecordForm, SignatureVersion } from './contract.js';
import { forwardedCallRecord } from './forwarded-record.js';
import { gatewayFailure, recordedFailureCode } from './gateway-errors.js';
import { isS3SigV2, scopeServiceOf, virtualHostBucket } from './gateway-target.js';
import type { FailureKind, GatewayFailure } from './gateway-errors.js';
import { fallbackEventName } from './match-operation.js';
import { recordFormOf } from './record-form/index.js';

/** One forwarded call as it moves through the steps. */
export interface Exchange {
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
  /** The owner of the S3 bucket called, when the gateway made it (else the caller's account is recorded). */
  bucketOwner?: string;
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

/** What the exchange needs of the gateway's settings. */
export interface ExchangeSettings {
  models: ReadonlyMap<string, GatewayServiceModel>;
  s3Domains: readonly string[];
  clock: Clock;
  defaultRegion?: string;
}

/** A call as it arrives, before anything of its body is read. */
export function newExchange(req: IncomingMessage, res: ServerResponse, settings: ExchangeSettings): Exchange {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const scoped = scopeServiceOf(req.headers, query);
  const sigV2 = scoped === undefined && isS3SigV2(req.headers, query);
  const service = scoped ?? (sigV2 ? 's3' : 'unknown');
  const model = settings.models.get(service) ?? unmodelled(service, req);
  const host = req.headers.host ?? '';
  const bucket = service === 's3' ? virtualHostBucket(host, settings.s3Domains) : undefined;
  return {
    req,
    res,
    model,
    view: { method: req.method ?? 'GET', path: bucket === undefined ? rawPath : `/${bucket}${rawPath}`, query, headers: req.headers, host, bytesIn: 0 },
    receivedMs: settings.clock.now(),
    requestId: newGuid(),
    eventId: newGuid(),
    region: settings.defaultRegion ?? 'us-east-1',
    authenticationMethod: sigV2 ? (req.headers.authorization === undefined ? 'QueryString' : 'AuthHeader') : /(?:^|&)X-Amz-Signature=/i.test(query) ? 'QueryString' : 'AuthHeader',
    signatureVersion: sigV2 ? 'SigV2' : 'SigV4',
    ...(bucket !== undefined && { virtualHostBucket: bucket }),
    bodyConsumed: false,
  };
}

/**
 * A call that changes nothing upstream: S3's GET and HEAD (HTTP's safe methods, which S3
 * keeps safe). Not CloudTrail's readOnly: SQS ReceiveMessage is "read-only" and hides the
 * messages it receives, and every call of the JSON and Query services is a POST.
 */
export function isSafeRead(x: Exchange): boolean {
  return x.model.signingName === 's3' && (x.view.method === 'GET' || x.view.method === 'HEAD');
}

/** The client's address, IPv4 without its IPv6-mapped prefix, as CloudTrail writes it. */
export function sourceIpOf(x: Exchange): string {
  return (x.req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/** The request as the condition keys read it (aws:SourceIp, aws:SecureTransport, ...). */
export function asHttpRequest(x: Exchange): HttpRequest {
  return { method: x.view.method, path: x.view.path, query: x.view.query, headers: x.req.headers, body: Buffer.alloc(0), remoteAddress: x.req.socket.remoteAddress ?? 'unknown' };
}

/** A failure the gateway answers itself, in the form of the service called. */
export function failureFor(x: Exchange, kind: FailureKind, message: string): GatewayFailure {
  return gatewayFailure(kind, x.model.protocol, x.model.signingName, message);
}

export function factsOf(x: Exchange): { eventName: string; readOnly: boolean; dataResourceType?: string } {
  const operation = x.matched?.operation;
  if (operation === undefined) return { eventName: fallbackEventName(x.model, x.view), readOnly: /^(GET|HEAD)$/.test(x.view.method) };
  const dataResourceType = dataResourceTypeOf(x.model, operation);
  return {
    eventName: x.matched?.eventName ?? eventNameOf(x.model, operation),
    readOnly: isReadOnly(x.model, operation),
    ...(dataResourceType !== undefined && { dataResourceType }),
  };
}

export function forwardedCallOf(x: Exchange, response: GatewayResponseView | undefined): ForwardedCall {
  const tls = tlsInfoOf(x.req);
  return {
    model: x.model,
    ...(x.matched !== undefined && { matched: x.matched }),
    request: x.view,
    ...(response !== undefined && { response }),
    region: x.region,
    resourceAccountId: x.bucketOwner ?? x.caller?.accountId ?? '',
    authenticationMethod: x.authenticationMethod,
    ...(x.signatureVersion === 'SigV2' && { signatureVersion: x.signatureVersion }),
    ...(tls !== undefined && { cipherSuite: tls.cipherSuite }),
  };
}

export function formOf(x: Exchange, response: GatewayResponseView | undefined): RecordForm {
  const facts = factsOf(x);
  const form = recordFormOf(forwardedCallOf(x, response), facts);
  const type = facts.dataResourceType;
  if (type === undefined || form.resources.some((r) => r.type === type)) return form;
  // Data-event selectors select on the resource: a data event always names it.
  const arn = dataResourceArn(x.model, x.matched, x.view, x.region, x.caller?.accountId ?? '');
  return arn === undefined ? form : { ...form, resources: [{ accountId: x.caller?.accountId ?? '', type, ARN: arn }, ...form.resources] };
}

/** The form of a call the gateway failed itself: the request as known, the gateway's error. */
export function failedFormOf(x: Exchange, failure: GatewayFailure): RecordForm {
  const form = formOf(x, undefined);
  return { ...form, responseElements: null, error: { code: recordedFailureCode(failure, x.model.protocol), message: failure.message } };
}

/** The call's record in its caller's account (its journal entry holds this one). */
export function recordOf(x: Exchange, caller: Caller, form: RecordForm, copy?: { sharedEventId: string; recipientAccountId?: string }): CloudTrailRecord {
  const tls = tlsInfoOf(x.req);
  const recipient = copy?.recipientAccountId ?? caller.accountId;
  return forwardedCallRecord(
    {
      // Seen from another account the caller is that account, as CloudTrail shows it there.
      identity: recipient === caller.accountId ? userIdentityOf(caller) : { type: 'AWSAccount', principalId: caller.principalId, accountId: caller.accountId },
      accountId: recipient,
      eventSource: x.model.eventSource,
      region: x.region,
      timeMs: x.receivedMs,
      sourceIPAddress: sourceIpOf(x),
      userAgent: (typeof x.req.headers['user-agent'] === 'string' ? x.req.headers['user-agent'] : '').slice(0, 1024),
      eventId: recipient === caller.accountId ? x.eventId : newGuid(),
      gatewayRequestId: x.requestId,
      ...(tls !== undefined && { tls: { ...tls, clientProvidedHostHeader: x.view.host } }),
      ...(copy !== undefined && { sharedEventId: copy.sharedEventId }),
    },
    form,
  );
}

/**
 * The records to append: the caller's, and when the call was on another account's bucket, as
 * CloudTrail does, a copy for the bucket's owner, both joined by one sharedEventID.
 */
export function preparedRecordsOf(x: Exchange, caller: Caller, form: RecordForm): PreparedEvent[] {
  const owner = x.bucketOwner;
  if (owner === undefined || owner === caller.accountId) return [prepareEvent(caller.accountId, x.region, recordOf(x, caller, form))];
  const sharedEventId = newGuid();
  return [
    prepareEvent(caller.accountId, x.region, recordOf(x, caller, form, { sharedEventId })),
    prepareEvent(owner, x.region, recordOf(x, caller, form, { sharedEventId, recipientAccountId: owner })),
  ];
}
