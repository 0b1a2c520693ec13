/**
 * The one request pipeline. Every call goes through the same numbered steps:
 *
 *   1. route        protocol and service from method + path
 *   2. authenticate SigV4 → caller (the key's account is known even when the signature is bad)
 *   3. operation    X-Amz-Target → operation of the model
 *   4. authorize    the caller's IAM-style policies for `cloudtrail:<Operation>`
 *   5. parse        UTF-8 JSON object, member types, required members
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
import { StoreOverloadedError } from '../store/event-store.js';
import { authenticate } from './authenticate.js';
import { AWS_JSON_CONTENT_TYPE, errorResponse, isAwsJsonContentType, jsonResponse, operationOfTarget } from './aws-json.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { headerValue } from './http-types.js';
import * as cloudtrailModel from './model/cloudtrail.gen.js';
import type { OperationName } from './model/cloudtrail.gen.js';
import type { OperationContext, ServerServices } from './operations/context.js';
import { cloudTrailOperations } from './operations/index.js';
import type { OperationSpec } from './operations/operation-spec.js';
import { UNSUPPORTED } from './operations/operation-spec.js';
import { checkInput, parseJsonBody } from './parse-input.js';

const CLOUDTRAIL_SOURCE = 'cloudtrail.amazonaws.com';

export interface PipelineOptions {
  /** Region recorded for a failed call whose credential scope could not be read. */
  defaultRegion: string;
  logger: Logger;
}

/** One call as it moves through the steps; what the record is built from. */
interface Call {
  request: HttpRequest;
  requestId: string;
  receivedMs: number;
  caller?: Caller;
  region: string;
  eventName: string;
  input?: Record<string, unknown>;
  output?: unknown;
  error?: ServiceError;
  context?: OperationContext;
}

function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(cloudtrailModel.operations, name);
}

export class RequestPipeline {
  readonly #services: ServerServices;
  readonly #options: PipelineOptions;

  constructor(services: ServerServices, options: PipelineOptions) {
    this.#services = services;
    this.#options = options;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const call: Call = {
      request,
      requestId: newGuid(),
      receivedMs: this.#services.clock.now(),
      region: this.#options.defaultRegion,
      eventName: 'Unknown',
    };
    try {
      // 1. route
      if (request.method !== 'POST' || request.path !== '/') {
        return errorResponse(protocolErrors.unknownOperation(`${request.method} ${request.path}`.slice(0, 200)), call.requestId);
      }
      // 2. authenticate
      const auth = await authenticate(request, ['cloudtrail'], this.#services.identity, call.receivedMs);
      if (auth.region !== undefined) call.region = auth.region;
      call.eventName = this.#eventNameOf(request);
      if (!auth.ok) {
        if (auth.caller !== undefined) call.caller = auth.caller;
        call.error = auth.error;
        return await this.#finish(call);
      }
      call.caller = auth.caller;
      call.output = await this.#invoke(call, auth.caller);
    } catch (error) {
      call.error = this.#asServiceError(error, call);
    }
    return this.#finish(call);
  }

  /** Steps 3-6. */
  async #invoke(call: Call, caller: Caller): Promise<unknown> {
    const request = call.request;
    // 3. operation
    const target = headerValue(request, 'x-amz-target') ?? '';
    const operation = operationOfTarget(target, cloudtrailModel.metadata.targetPrefix);
    if (operation === undefined || !isOperationName(operation)) throw protocolErrors.unknownOperation(target.slice(0, 200));
    const contentType = headerValue(request, 'content-type');
    if (!isAwsJsonContentType(contentType)) throw protocolErrors.unsupportedMediaType(String(contentType ?? '').slice(0, 100));
    const spec = cloudTrailOperations[operation] as OperationSpec<OperationName> | typeof UNSUPPORTED;
    // 5 (first half). Parse before authorizing so a denied call still records what was asked.
    const input = parseJsonBody(request.body);
    call.input = input;
    const context: OperationContext = {
      caller,
      region: call.region,
      requestId: call.requestId,
      nowMs: call.receivedMs,
      services: this.#services,
      resources: [],
    };
    call.context = context;
    // 4. authorize
    const action = `cloudtrail:${operation}`;
    const resource = spec === UNSUPPORTED ? '*' : (spec.authorizationResource?.(input as never, context) ?? '*');
    const decision = evaluate({ action, resource }, await this.#services.identity.policiesOf(caller));
    if (decision !== 'Allow') throw protocolErrors.accessDenied(caller.arn, action, resource, decision === 'ExplicitDeny');
    // 5. parse (types and required members)
    if (spec === UNSUPPORTED) throw protocolErrors.unsupportedOperation(operation);
    checkInput(cloudtrailModel.shapes, cloudtrailModel.operations[operation].input, input);
    // 6. invoke
    return spec.handle(input as never, context);
  }

  /** Steps 7 and 8: record the call (when its account is known), then answer. */
  async #finish(call: Call): Promise<HttpResponse> {
    if (call.caller !== undefined) {
      try {
        await this.#record(call, call.caller);
      } catch (error) {
        // Never answer a call whose record is not durable as if all were well.
        const failure =
          error instanceof StoreOverloadedError
            ? protocolErrors.throttling('Too many requests are waiting to be recorded; retry with backoff.')
            : protocolErrors.internal();
        if (!(error instanceof StoreOverloadedError)) this.#options.logger.error({ err: error, requestId: call.requestId }, 'recording the call failed');
        return errorResponse(failure, call.requestId);
      }
    }
    if (call.error !== undefined) return errorResponse(call.error, call.requestId);
    return jsonResponse(call.output, call.requestId, AWS_JSON_CONTENT_TYPE);
  }

  async #record(call: Call, caller: Caller): Promise<void> {
    const readOnly = isReadOnlyOperation(call.eventName);
    const output = call.output;
    const hasOutput = output !== undefined && output !== null && typeof output === 'object' && Object.keys(output).length > 0;
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
      eventSource: CLOUDTRAIL_SOURCE,
      eventName: call.eventName,
      timeMs: call.receivedMs,
      sourceIPAddress: call.request.remoteAddress.replace(/^::ffff:/, ''),
      userAgent: (headerValue(call.request, 'user-agent') ?? '').slice(0, 1024),
      requestParameters: call.input === undefined ? null : (recordMembers(call.input) as Record<string, unknown>),
      responseElements: !readOnly && call.error === undefined && hasOutput ? (recordMembers(output) as Record<string, unknown>) : null,
      ...(call.error !== undefined && { error: { code: recordedErrorCode(call.error.code), message: call.error.message } }),
      requestId: call.requestId,
      eventId: newGuid(),
      readOnly,
      ...(call.context !== undefined && { resources: call.context.resources }),
      ...(call.request.tls !== undefined && { tls: { ...call.request.tls, clientProvidedHostHeader: host } }),
    });
    await this.#services.events.append([prepareEvent(caller.accountId, call.region, record)]);
  }

  #eventNameOf(request: HttpRequest): string {
    const target = headerValue(request, 'x-amz-target') ?? '';
    const operation = operationOfTarget(target, cloudtrailModel.metadata.targetPrefix);
    // Bound and sanitise: an unknown name is attacker-chosen text going into the history.
    return operation !== undefined && /^[A-Za-z0-9]{1,64}$/.test(operation) ? operation : 'Unknown';
  }

  #asServiceError(error: unknown, call: Call): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof StoreOverloadedError) {
      return protocolErrors.throttling('Too many requests are waiting to be recorded; retry with backoff.');
    }
    this.#options.logger.error({ err: error, requestId: call.requestId, operation: call.eventName }, 'operation failed');
    return protocolErrors.internal();
  }
}

/** CloudTrail records a denied call with errorCode AccessDenied. */
function recordedErrorCode(code: string): string {
  return code === 'AccessDeniedException' ? 'AccessDenied' : code;
}
