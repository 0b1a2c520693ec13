/** The control plane: cloudtrail 2013-11-01 over AWS JSON 1.1 (see ../aws-json.ts). */
import { recordMembers } from '../../core/api-call-record.js';
import { errorResponse, isAwsJsonContentType, jsonResponse, operationOfTarget } from '../../api/aws-json.js';
import { protocolErrors } from '../../api/errors.js';
import type { HttpRequest } from '../../api/http-types.js';
import { headerValue } from '../../api/http-types.js';
import * as model from './model.gen.js';
import type { OperationName } from './model.gen.js';
import { cloudTrailOperations } from './operations/index.js';
import type { OperationSpec } from './operations/operation-spec.js';
import { UNSUPPORTED } from './operations/operation-spec.js';
import { checkInput, parseJsonBody } from '../../api/parse-input.js';
import type { DecodedCall, ServiceProtocol } from '../../api/protocols/service-protocol.js';
import { safeEventName } from '../../api/protocols/service-protocol.js';

function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(model.operations, name);
}

function specOf(operation: string): OperationSpec<OperationName> | typeof UNSUPPORTED {
  return cloudTrailOperations[operation as OperationName];
}

function targetOf(request: HttpRequest): string {
  return headerValue(request, 'x-amz-target') ?? '';
}

export const cloudTrailJson: ServiceProtocol = {
  signingName: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  matches: (request) => request.path === '/',
  eventNameOf: (request) => safeEventName(operationOfTarget(targetOf(request), model.metadata.targetPrefix)),
  decode(request): DecodedCall {
    if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} /`);
    const target = targetOf(request);
    const operation = operationOfTarget(target, model.metadata.targetPrefix);
    if (operation === undefined || !isOperationName(operation)) throw protocolErrors.unknownOperation(target.slice(0, 200));
    const contentType = headerValue(request, 'content-type');
    if (!isAwsJsonContentType(contentType)) throw protocolErrors.unsupportedMediaType(String(contentType ?? '').slice(0, 100));
    return { operation, input: parseJsonBody(request.body) };
  },
  authorizationResource(call, context) {
    const spec = specOf(call.operation);
    return spec === UNSUPPORTED ? '*' : (spec.authorizationResource?.(call.input, context) ?? '*');
  },
  async invoke(call, context) {
    const spec = specOf(call.operation);
    if (spec === UNSUPPORTED) throw protocolErrors.unsupportedOperation(call.operation);
    checkInput(model.shapes, model.operations[call.operation as OperationName].input, call.input);
    return spec.handle(call.input, context);
  },
  recordedParameters: (call) => recordMembers(call.input) as Record<string, unknown>,
  ok: (output, requestId) => jsonResponse(output, requestId),
  error: (error, requestId) => errorResponse(error, requestId),
};
