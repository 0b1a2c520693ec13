/**
 * OpenTrail's own API: AWS JSON 1.1 on the same endpoint, signed like CloudTrail's (SigV4
 * service `cloudtrail`), with `X-Amz-Target: OpenTrail_20261124.<Operation>`. IAM actions are
 * `cloudtrail:<Operation>`, so the ready-made policies cover them (read-only included).
 */
import { recordMembers } from '../../core/api-call-record.js';
import { errorResponse, isAwsJsonContentType, jsonResponse, operationOfTarget } from '../../api/aws-json.js';
import { protocolErrors } from '../../api/errors.js';
import type { HttpRequest } from '../../api/http-types.js';
import { headerValue } from '../../api/http-types.js';
import { listDigestChains } from './digest-chains.js';
import { getEventVolume } from './event-volume.js';
import type { OpenTrailOperation } from './operation.js';
import { getConsistencyProof, getEventProof } from './proofs.js';
import { parseJsonBody } from '../../api/parse-input.js';
import type { DecodedCall, ServiceProtocol } from '../../api/protocols/service-protocol.js';
import { safeEventName } from '../../api/protocols/service-protocol.js';

export const OPENTRAIL_TARGET_PREFIX = 'OpenTrail_20261124';

const OPERATIONS: Readonly<Record<string, OpenTrailOperation>> = {
  GetEventProof: getEventProof,
  GetConsistencyProof: getConsistencyProof,
  GetEventVolume: getEventVolume,
  ListDigestChains: listDigestChains,
};

function targetOf(request: HttpRequest): string {
  return headerValue(request, 'x-amz-target') ?? '';
}

function operationOf(name: string): OpenTrailOperation {
  const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (operation === undefined) throw protocolErrors.unknownOperation(`${OPENTRAIL_TARGET_PREFIX}.${name}`.slice(0, 200));
  return operation;
}

export const openTrailJson: ServiceProtocol = {
  signingName: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  matches: (request) => request.path === '/' && targetOf(request).startsWith(`${OPENTRAIL_TARGET_PREFIX}.`),
  hasOperation: (operation) => Object.hasOwn(OPERATIONS, operation),
  eventNameOf: (request) => safeEventName(operationOfTarget(targetOf(request), OPENTRAIL_TARGET_PREFIX)),
  decode(request): DecodedCall {
    if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} /`);
    const operation = operationOfTarget(targetOf(request), OPENTRAIL_TARGET_PREFIX) ?? '';
    operationOf(operation);
    const contentType = headerValue(request, 'content-type');
    if (!isAwsJsonContentType(contentType)) throw protocolErrors.unsupportedMediaType(String(contentType ?? '').slice(0, 100));
    return { operation, input: parseJsonBody(request.body) };
  },
  authorizationResource: (call) => operationOf(call.operation).authorizationResource(call.input),
  invoke: async (call, context) => operationOf(call.operation).handle(call.input, context),
  recordedParameters: (call) => recordMembers(call.input) as Record<string, unknown>,
  ok: (output, requestId) => jsonResponse(output, requestId),
  error: (error, requestId) => errorResponse(error, requestId),
};
