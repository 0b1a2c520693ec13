/**
 * CloudWatch 2010-08-01 (signing name `monitoring`) over the three protocols its model lists,
 * one ServiceProtocol routed by the credential scope, which gives each request the view of its
 * own protocol (ServiceProtocol.forRequest), so every answer is in the protocol it was asked in:
 *
 *   smithy-rpc-v2-cbor  POST /service/GraniteServiceVersion20100801/operation/<Op>,
 *                       `smithy-protocol: rpc-v2-cbor`, CBOR bodies (cbor-codec.ts); the AWS CLI
 *   AWS JSON 1.0        POST / with `X-Amz-Target: GraniteServiceVersion20100801.<Op>`; the JS SDK v3
 *   AWS query           `Action=<Op>&Version=2010-08-01` forms, XML answers (api/protocols/aws-query)
 *
 * All three decode to the same input, are checked against the model the same way, run the same
 * handlers (operations/) and are recorded alike (requestParameters and responseElements from the
 * model, as the JSON services record them). The model is awsQueryCompatible: CBOR and JSON
 * errors carry `__type` (the error's shape) and `x-amzn-query-error: <query code>;Sender`, which
 * the SDKs read for the code the query protocol would have answered (InvalidParameterValue,
 * ResourceNotFound, ...).
 */
import { AWS_JSON_CONTENT_TYPE, errorResponse as jsonErrorResponse, jsonResponse, operationOfTarget } from '../../api/aws-json.js';
import { ServiceError, protocolErrors } from '../../api/errors.js';
import type { HttpRequest, HttpResponse } from '../../api/http-types.js';
import { headerValue } from '../../api/http-types.js';
import { checkConstraints } from '../../api/model/validate-input.js';
import type { OperationContext } from '../../api/operation-context.js';
import { UNSUPPORTED } from '../../api/operation-spec.js';
import { checkInput, parseJsonBody } from '../../api/parse-input.js';
import { queryServiceProtocol } from '../../api/protocols/aws-query/index.js';
import { queryWireError } from '../../api/protocols/aws-query/wire-errors.js';
import { recordedForm } from '../../api/protocols/json-record-form.js';
import type { DecodedCall, ServiceProtocol } from '../../api/protocols/service-protocol.js';
import { safeEventName } from '../../api/protocols/service-protocol.js';
import { decodeCborInput, encodeCborError, encodeCborOutput } from './cbor-codec.js';
import type { OperationName } from './model.gen.js';
import { metadata, operations, shapes } from './model.gen.js';
import { cloudWatchOperations } from './operations/index.js';

export const EVENT_SOURCE = 'monitoring.amazonaws.com';
export const CBOR_CONTENT_TYPE = 'application/cbor';
const JSON_10 = 'application/x-amz-json-1.0';
const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

const isOperation = (name: string | undefined): name is OperationName => name !== undefined && Object.hasOwn(operations, name);

function specOf(operation: string) {
  return cloudWatchOperations[operation as OperationName];
}

/** What the three views share: authorization, records. */
const shared = {
  signingName: metadata.signingName,
  eventSource: EVENT_SOURCE,
  routing: 'credential-scope' as const,
  matches: () => false,
  async authorizationResource(call: DecodedCall, context: OperationContext): Promise<string> {
    const spec = specOf(call.operation);
    return spec === UNSUPPORTED ? '*' : ((await spec.authorizationResource?.(call.input as never, context)) ?? '*');
  },
  recordedParameters: (call: DecodedCall) => recordedForm(shapes, operations[call.operation as OperationName].input, call.input),
  recordedResponse: (call: DecodedCall, output: unknown) => recordedForm(shapes, operations[call.operation as OperationName].output, output),
};

/** Steps 5 and 6 for CBOR and JSON: model types and constraints, then the handler. */
async function invokeChecked(call: DecodedCall, context: OperationContext): Promise<object> {
  const spec = specOf(call.operation);
  if (spec === UNSUPPORTED) throw protocolErrors.unsupportedOperation(call.operation);
  const inputShape = operations[call.operation as OperationName].input;
  checkInput(shapes, inputShape, call.input);
  if (inputShape !== undefined) {
    const problem = checkConstraints(shapes, inputShape, call.input);
    if (problem !== undefined) throw protocolErrors.validation(problem.message);
  }
  const output: unknown = (await spec.handle(call.input as never, context)) ?? {};
  if (typeof output !== 'object' || output === null) throw new Error(`${call.operation} returned a ${typeof output}, not an object`);
  return output;
}

/** The status and x-amzn-query-error of an error, as the query protocol would name it. */
function queryCompatible(error: ServiceError): { status: number; header: string } {
  const wire = queryWireError(shapes, error);
  return { status: wire.httpStatus, header: `${wire.code};${wire.httpStatus >= 500 ? 'Receiver' : 'Sender'}` };
}

// ---- smithy-rpc-v2-cbor ----

function cborOperation(request: HttpRequest): { service: string; operation: string } | undefined {
  const match = CBOR_PATH.exec(request.path);
  return match === null ? undefined : { service: match[1]!, operation: match[2]! };
}

function cborHeaders(requestId: string): Record<string, string> {
  return { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': CBOR_CONTENT_TYPE, 'x-amzn-requestid': requestId, date: new Date().toUTCString() };
}

/** Each output's CBOR, encoded before the call is recorded, so encoding cannot fail after it. */
const cborBodies = new WeakMap<object, Buffer>();

function cborError(error: ServiceError, requestId: string): HttpResponse {
  const { status, header } = queryCompatible(error);
  return { status, headers: { ...cborHeaders(requestId), 'x-amzn-query-error': header }, body: '', bytes: encodeCborError(error.code, error.message, error.fields) };
}

export const cloudWatchCbor: ServiceProtocol = {
  ...shared,
  eventNameOf: (request) => safeEventName(cborOperation(request)?.operation),
  decode(request) {
    const target = cborOperation(request);
    if (request.method !== 'POST' || target === undefined || target.service !== metadata.targetPrefix || !isOperation(target.operation)) {
      throw protocolErrors.unknownOperation(`${request.method} ${request.path}`.slice(0, 200));
    }
    if (headerValue(request, 'smithy-protocol') !== 'rpc-v2-cbor') {
      throw protocolErrors.serialization('A request to /service/.../operation/... must name its protocol: smithy-protocol: rpc-v2-cbor.');
    }
    const contentType = headerValue(request, 'content-type')?.split(';')[0]!.trim().toLowerCase();
    if (request.body.length > 0 && contentType !== CBOR_CONTENT_TYPE) {
      throw new ServiceError('UnsupportedMediaTypeException', `Unsupported Content-Type "${String(contentType ?? '').slice(0, 100)}"; expected ${CBOR_CONTENT_TYPE}.`, 415);
    }
    return { operation: target.operation, input: decodeCborInput(request.body) };
  },
  async invoke(call, context) {
    const output = await invokeChecked(call, context);
    cborBodies.set(output, encodeCborOutput(shapes, operations[call.operation as OperationName].output, output));
    return output;
  },
  ok(output, requestId, call) {
    let bytes = typeof output === 'object' && output !== null ? cborBodies.get(output) : undefined;
    try {
      bytes ??= encodeCborOutput(shapes, call === undefined ? undefined : operations[call.operation as OperationName].output, output);
    } catch {
      return cborError(protocolErrors.internal(), requestId);
    }
    return { status: 200, headers: cborHeaders(requestId), body: '', bytes };
  },
  error: cborError,
};

// ---- AWS JSON 1.0 ----

function jsonOperation(request: HttpRequest): string | undefined {
  return operationOfTarget(headerValue(request, 'x-amz-target'), metadata.targetPrefix);
}

export const cloudWatchJson: ServiceProtocol = {
  ...shared,
  eventNameOf: (request) => safeEventName(jsonOperation(request)),
  decode(request) {
    const operation = jsonOperation(request);
    if (request.method !== 'POST' || request.path !== '/' || !isOperation(operation)) {
      throw protocolErrors.unknownOperation((headerValue(request, 'x-amz-target') ?? '').slice(0, 200));
    }
    const contentType = headerValue(request, 'content-type')?.split(';')[0]!.trim().toLowerCase();
    if (contentType !== JSON_10 && contentType !== AWS_JSON_CONTENT_TYPE) {
      throw new ServiceError('UnsupportedMediaTypeException', `Unsupported Content-Type "${String(contentType ?? '').slice(0, 100)}"; expected ${JSON_10}.`, 415);
    }
    return { operation, input: parseJsonBody(request.body) };
  },
  invoke: invokeChecked,
  ok: (output, requestId) => jsonResponse(output, requestId, JSON_10),
  error(error, requestId) {
    const { status, header } = queryCompatible(error);
    const response = jsonErrorResponse(error, requestId, JSON_10);
    return { ...response, status, headers: { ...response.headers, 'x-amzn-query-error': header } };
  },
};

// ---- AWS query ----

const query = queryServiceProtocol({
  metadata,
  operations,
  shapes,
  table: cloudWatchOperations,
  eventSource: EVENT_SOURCE,
  recordedDates: 'MMM d, yyyy h:mm:ss a',
});

export const cloudWatchQuery: ServiceProtocol = {
  ...query,
  recordedParameters: shared.recordedParameters,
  recordedResponse: shared.recordedResponse,
};

/** The view of the request's own protocol. */
export function cloudWatchProtocolOf(request: HttpRequest): ServiceProtocol {
  if (request.path.startsWith('/service/')) return cloudWatchCbor;
  if (headerValue(request, 'x-amz-target') !== undefined) return cloudWatchJson;
  return cloudWatchQuery;
}

/** What PROTOCOLS holds: CloudWatch on every protocol, routed by the credential scope. */
export const cloudWatch: ServiceProtocol = {
  ...cloudWatchQuery,
  forRequest: cloudWatchProtocolOf,
  eventNameOf: (request) => cloudWatchProtocolOf(request).eventNameOf(request),
  decode: (request) => cloudWatchProtocolOf(request).decode(request),
};
