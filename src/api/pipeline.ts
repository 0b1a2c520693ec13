/**
 * The one request pipeline. Every call, to either service, goes through the same steps:
 *
 *   1. route        method + path → the service protocol (cloudtrail JSON 1.1 or cloudtrail-data REST-JSON)
 *   2. authenticate SigV4 → caller (the key's account is known even when the signature is bad)
 *   3. operation    the protocol decodes the operation and its raw JSON input
 *   4. authorize    the caller's IAM-style policies for `<service>:<Operation>` on the resource
 *   5. validate     member types and required members from the generated model
 *   6. invoke       the operation's handler
 *   7. record       the call becomes a CloudTrail record, appended durably
 *   8. respond      only after step 7 has committed
 *
 * Failures at steps 3-6 are recorded too (with errorCode), and so are failures at step 2 when
 * the key is known. Before step 2 there is no account to record into.
 */
import type { Logger } from 'pino';
import { apiCallRecord, isReadOnlyOperation, recordMembers } from '../core/api-call-record.js';
import { newGuid } from '../core/ids.js';
import { prepareEvent } from '../core/prepare-event.js';
import type { Caller } from '../iam/caller.js';
import { evaluate } from '../iam/policy/index.js';
import type { PreparedEvent } from '../store/event-store.js';
import { StoreOverloadedError } from '../store/event-store.js';
import { authenticate } from './authenticate.js';
import { errorResponse } from './aws-json.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { headerValue } from './http-types.js';
import type { CommitResult, OperationContext, ServerServices } from './operations/context.js';
import { cloudTrailDataRest } from './protocols/cloudtrail-data-rest.js';
import { cloudTrailJson } from './protocols/cloudtrail-json.js';
import { openTrailJson } from './protocols/opentrail-json.js';
import type { DecodedCall, ServiceProtocol } from './protocols/service-protocol.js';

/** First match wins: OpenTrail's own targets before CloudTrail's, both on `POST /`. */
const PROTOCOLS: readonly ServiceProtocol[] = [openTrailJson, cloudTrailJson, cloudTrailDataRest];

export interface PipelineOptions {
  /** Region recorded for a failed call whose credential scope could not be read. */
  defaultRegion: string;
  logger: Logger;
}

/** One call as it moves through the steps; what its record is built from. */
interface Call {
  request: HttpRequest;
  protocol: ServiceProtocol;
  requestId: string;
  receivedMs: number;
  region: string;
  eventName: string;
  caller?: Caller;
  decoded?: DecodedCall;
  context?: OperationContext;
  output?: unknown;
  error?: ServiceError;
  /** Set once the call's record is durable (it may ride along with the handler's own events). */
  recorded: boolean;
}

const OVERLOADED = 'Too many events are waiting to be recorded; retry with backoff.';

export class RequestPipeline {
  readonly #services: ServerServices;
  readonly #options: PipelineOptions;

  constructor(services: ServerServices, options: PipelineOptions) {
    this.#services = services;
    this.#options = options;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    // 1. route
    const protocol = PROTOCOLS.find((p) => p.matches(request));
    if (protocol === undefined) {
      return errorResponse(protocolErrors.unknownOperation(`${request.method} ${request.path}`.slice(0, 200)), newGuid());
    }
    const call: Call = {
      request,
      protocol,
      requestId: newGuid(),
      receivedMs: this.#services.clock.now(),
      region: this.#options.defaultRegion,
      eventName: protocol.eventNameOf(request),
      recorded: false,
    };
    try {
      // 2. authenticate
      const auth = await authenticate(request, [protocol.signingName], this.#services.identity, call.receivedMs);
      if (auth.region !== undefined) call.region = auth.region;
      if (auth.caller !== undefined) call.caller = auth.caller;
      if (!auth.ok) call.error = auth.error;
      else call.output = await this.#invoke(call, auth.caller);
    } catch (error) {
      call.error = this.#asServiceError(error, call);
    }
    return this.#finish(call);
  }

  /** Steps 3-6. */
  async #invoke(call: Call, caller: Caller): Promise<unknown> {
    const protocol = call.protocol;
    // 3. operation
    const decoded = protocol.decode(call.request);
    call.decoded = decoded;
    const context: OperationContext = {
      caller,
      region: call.region,
      requestId: call.requestId,
      nowMs: call.receivedMs,
      services: this.#services,
      resources: [],
      commitWithCallRecord: (events) => this.#commitWithCallRecord(call, events),
    };
    call.context = context;
    // 4. authorize
    const action = `${protocol.signingName}:${decoded.operation}`;
    const resource = protocol.authorizationResource(decoded, context);
    const decision = evaluate({ action, resource }, await this.#services.identity.policiesOf(caller));
    if (decision !== 'Allow') throw protocolErrors.accessDenied(caller.arn, action, resource, decision === 'ExplicitDeny');
    // 5 and 6. validate and invoke
    return protocol.invoke(decoded, context);
  }

  /** Steps 7 and 8: record the call (when its account is known), then answer. */
  async #finish(call: Call): Promise<HttpResponse> {
    if (call.caller !== undefined && !call.recorded) {
      try {
        await this.#services.events.append([this.#callRecord(call, call.caller)]);
        call.recorded = true;
      } catch (error) {
        // Never answer a call whose record is not durable as if all were well.
        if (!(error instanceof StoreOverloadedError)) {
          this.#options.logger.error({ err: error, requestId: call.requestId }, 'recording the call failed');
        }
        const failure = error instanceof StoreOverloadedError ? protocolErrors.throttling(OVERLOADED) : protocolErrors.internal();
        return call.protocol.error(failure, call.requestId);
      }
    }
    if (call.error !== undefined) return call.protocol.error(call.error, call.requestId);
    return call.protocol.ok(call.output, call.requestId);
  }

  async #commitWithCallRecord(call: Call, events: readonly PreparedEvent[]): Promise<CommitResult> {
    if (call.recorded || call.caller === undefined) throw new Error('commitWithCallRecord used twice or without a caller');
    const result = await this.#services.events.append([...events, this.#callRecord(call, call.caller)]);
    call.recorded = true;
    return { events: result.events.slice(0, events.length), callSeq: result.events[events.length]!.seq };
  }

  #callRecord(call: Call, caller: Caller): PreparedEvent {
    const readOnly = isReadOnlyOperation(call.eventName);
    const output = call.output;
    const hasOutput = output !== null && typeof output === 'object' && Object.keys(output).length > 0;
    const host = headerValue(call.request, 'host') ?? '';
    const record = apiCallRecord({
      identity: {
        type: caller.type,
        principalId: caller.principalId,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        userName: caller.userName,
      },
      recipientAccountId: caller.accountId,
      region: call.region,
      eventSource: call.protocol.eventSource,
      eventName: call.eventName,
      timeMs: call.receivedMs,
      sourceIPAddress: call.request.remoteAddress.replace(/^::ffff:/, ''),
      userAgent: (headerValue(call.request, 'user-agent') ?? '').slice(0, 1024),
      requestParameters: call.decoded === undefined ? null : call.protocol.recordedParameters(call.decoded),
      responseElements:
        !readOnly && call.error === undefined && hasOutput ? (recordMembers(output) as Record<string, unknown>) : null,
      ...(call.error !== undefined && { error: { code: recordedErrorCode(call.error.code), message: call.error.message } }),
      requestId: call.requestId,
      eventId: newGuid(),
      readOnly,
      ...(call.context !== undefined && { resources: call.context.resources }),
      ...(call.request.tls !== undefined && { tls: { ...call.request.tls, clientProvidedHostHeader: host } }),
    });
    return prepareEvent(caller.accountId, call.region, record);
  }

  #asServiceError(error: unknown, call: Call): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof StoreOverloadedError) return protocolErrors.throttling(OVERLOADED);
    this.#options.logger.error({ err: error, requestId: call.requestId, operation: call.eventName }, 'operation failed');
    return protocolErrors.internal();
  }
}

/** CloudTrail records a denied call with errorCode AccessDenied. */
function recordedErrorCode(code: string): string {
  return code === 'AccessDeniedException' ? 'AccessDenied' : code;
}
