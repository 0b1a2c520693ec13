/**
 * A service the pipeline serves, with its wire protocol: how requests are recognised, which
 * operation and input they carry, how operations are invoked, and how answers are encoded.
 */
import type { ServiceError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http-types.js';
import type { OperationContext } from '../operation-context.js';

export interface DecodedCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface ServiceProtocol {
  /** SigV4 service name, also the IAM action prefix (`cloudtrail`, `cloudtrail-data`, `iam`, `sts`). */
  signingName: string;
  /** eventSource of the records of calls to this service. */
  eventSource: string;
  /**
   * How the pipeline picks this protocol. `credential-scope`: whenever the request's SigV4
   * credential scope names `signingName` (query services: IAM and STS share `POST /` with form
   * bodies, so only the signed-for service tells them apart). Otherwise (the default), when
   * `matches(request)` says so, tried in order after every credential-scope protocol failed.
   */
  routing?: 'credential-scope';
  matches(request: HttpRequest): boolean;
  /**
   * The protocol that serves this request, for a service that speaks several wire protocols on
   * one signing name (CloudWatch: rpcv2Cbor, AWS JSON 1.0, query): the pipeline uses what this
   * answers for every step of the call, so each answer is in the request's own protocol.
   */
  forRequest?(request: HttpRequest): ServiceProtocol;
  /**
   * The region of the call's record and of its handler, whatever region the client signed
   * for: `us-east-1` for IAM, a global service. Absent: the credential scope's region.
   */
  recordRegion?: string;
  /** The operation name to record, read cheaply and safely before anything else is checked. */
  eventNameOf(request: HttpRequest): string;
  /**
   * Whether this protocol has the operation: for a local call (RequestPipeline.invokeLocal) of a
   * signing name two protocols share (OpenTrail's own operations are signed as `cloudtrail`).
   * Absent: every operation of the signing name is its.
   */
  hasOperation?(operation: string): boolean;
  /** Step 3 and the first half of step 5: the operation and its raw input (throws ServiceError). */
  decode(request: HttpRequest): DecodedCall;
  /** What authorization checks the action against: a resource ARN or '*'. */
  authorizationResource(call: DecodedCall, context: OperationContext): string | Promise<string>;
  /**
   * False for an operation every authenticated caller may make without any policy (AWS needs
   * no permission for sts:GetCallerIdentity). Absent: every operation is authorized.
   */
  requiresAuthorization?(call: DecodedCall): boolean;
  /** Second half of step 5 (types, required members) and step 6. */
  invoke(call: DecodedCall, context: OperationContext): Promise<unknown>;
  /** Request members as recorded in requestParameters; `error` is the call's failure, if any. */
  recordedParameters(call: DecodedCall, error?: ServiceError): Record<string, unknown> | null;
  /**
   * responseElements of a successful call that is not read-only and has output. Absent: the
   * output's members in lowerCamelCase, values unchanged.
   */
  recordedResponse?(call: DecodedCall, output: unknown): Record<string, unknown> | null;
  /**
   * CloudTrail's readOnly for an operation where its verb does not tell (STS records AssumeRole
   * as read-only and GetSessionToken as not). Absent, or undefined for an operation: by the verb.
   */
  readOnly?(operation: string): boolean | undefined;
  /**
   * Whether a successful call records responseElements. Absent, or undefined for an operation:
   * when it is not read-only (AssumeRole, read-only, records the credentials it issued).
   */
  recordsResponse?(operation: string): boolean | undefined;
  /**
   * Whether the operation is a data event (eventCategory Data: not in the event history, only
   * in trails whose selectors ask for it). Absent, or false: a management event.
   */
  dataEvent?(operation: string): boolean;
  /** The answer to a successful call (`call` is the decoded call the output belongs to). */
  ok(output: unknown, requestId: string, call?: DecodedCall): HttpResponse;
  error(error: ServiceError, requestId: string): HttpResponse;
}

/** Bounds and sanitises an operation name taken from a request: it goes into the history. */
export function safeEventName(name: string | undefined): string {
  return name !== undefined && /^[A-Za-z0-9]{1,64}$/.test(name) ? name : 'Unknown';
}
