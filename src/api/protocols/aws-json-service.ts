/**
 * A service over AWS JSON 1.1 (../aws-json.ts), built from its generated model and its table of
 * operations: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. CloudTrail and
 * Organizations are both served this way; they differ only in what the definition says.
 */
import { recordMembers } from '../../core/api-call-record.js';
import { errorResponse, isAwsJsonContentType, jsonResponse, operationOfTarget } from '../aws-json.js';
import type { ServiceError } from '../errors.js';
import { protocolErrors } from '../errors.js';
import type { HttpRequest } from '../http-types.js';
import { headerValue } from '../http-types.js';
import type { InputProblem, OperationDescription, ServiceMetadata, ShapeTable } from '../model/validate-input.js';
import { checkConstraints } from '../model/validate-input.js';
import type { OperationSpec } from '../operation-spec.js';
import { UNSUPPORTED } from '../operation-spec.js';
import { checkInput, parseJsonBody } from '../parse-input.js';
import type { DecodedCall, ServiceProtocol } from './service-protocol.js';
import { safeEventName } from './service-protocol.js';

/** Any operation's spec: inputs are checked against the model before a handler sees them. */
type AnyOperationSpec = OperationSpec<never, unknown>;

export interface AwsJsonServiceDefinition<Name extends string> {
  metadata: ServiceMetadata & { readonly targetPrefix: string };
  operations: { readonly [Op in Name]: OperationDescription };
  shapes: ShapeTable;
  table: { readonly [Op in Name]: AnyOperationSpec | typeof UNSUPPORTED };
  eventSource: string;
  /** The record's region for a global service (Organizations: us-east-1); see ServiceProtocol. */
  recordRegion?: string;
  /**
   * Whether this service also answers `POST /` requests that carry none of its targets: the
   * endpoint's default service (CloudTrail) answers UnknownOperationException for them, so a
   * request without a target still gets an AWS-shaped error and a record.
   */
  answersUntargeted?: boolean;
  /**
   * How the service answers input that breaks the model's enum, length, range and pattern
   * constraints (Organizations: InvalidInputException with a Reason). Absent: the handlers
   * check what they need themselves (CloudTrail answers with operation-specific exceptions).
   */
  constraintError?(problem: InputProblem): ServiceError;
  /** requestParameters of a call. Default: the input's members in lowerCamelCase, unchanged. */
  recordedParameters?(operation: Name, input: Record<string, unknown>): Record<string, unknown> | null;
  /** responseElements of a successful mutating call. Default: the output in lowerCamelCase. */
  recordedResponse?(operation: Name, output: unknown): Record<string, unknown> | null;
}

function targetOf(request: HttpRequest): string {
  return headerValue(request, 'x-amz-target') ?? '';
}

export function awsJsonServiceProtocol<Name extends string>(definition: AwsJsonServiceDefinition<Name>): ServiceProtocol {
  const { metadata, operations, shapes, table } = definition;
  const prefix = metadata.targetPrefix;
  const isOperationName = (name: string): name is Name => Object.hasOwn(operations, name);
  const operationIn = (request: HttpRequest) => operationOfTarget(targetOf(request), prefix);
  const specOf = (operation: string): AnyOperationSpec | typeof UNSUPPORTED => table[operation as Name];

  return {
    signingName: metadata.signingName,
    eventSource: definition.eventSource,
    ...(definition.recordRegion !== undefined && { recordRegion: definition.recordRegion }),
    matches: (request) => request.path === '/' && (definition.answersUntargeted === true || operationIn(request) !== undefined),
    eventNameOf: (request) => safeEventName(operationIn(request)),
    decode(request): DecodedCall {
      if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} /`);
      const operation = operationIn(request);
      if (operation === undefined || !isOperationName(operation)) throw protocolErrors.unknownOperation(targetOf(request).slice(0, 200));
      const contentType = headerValue(request, 'content-type');
      if (!isAwsJsonContentType(contentType)) throw protocolErrors.unsupportedMediaType(String(contentType ?? '').slice(0, 100));
      return { operation, input: parseJsonBody(request.body) };
    },
    async authorizationResource(call, context) {
      const spec = specOf(call.operation);
      return spec === UNSUPPORTED ? '*' : (spec.authorizationResource?.(call.input as never, context) ?? '*');
    },
    async invoke(call, context) {
      const spec = specOf(call.operation);
      if (spec === UNSUPPORTED) throw protocolErrors.unsupportedOperation(call.operation);
      const inputShape = operations[call.operation as Name].input;
      checkInput(shapes, inputShape, call.input);
      if (definition.constraintError !== undefined && inputShape !== undefined) {
        const problem = checkConstraints(shapes, inputShape, call.input);
        if (problem !== undefined) throw definition.constraintError(problem);
      }
      return spec.handle(call.input as never, context);
    },
    recordedParameters: (call) =>
      definition.recordedParameters !== undefined
        ? definition.recordedParameters(call.operation as Name, call.input)
        : (recordMembers(call.input) as Record<string, unknown>),
    ...(definition.recordedResponse !== undefined && {
      recordedResponse: (call: DecodedCall, output: unknown) => definition.recordedResponse!(call.operation as Name, output),
    }),
    ok: (output, requestId) => jsonResponse(output, requestId),
    error: (error, requestId) => errorResponse(error, requestId),
  };
}
