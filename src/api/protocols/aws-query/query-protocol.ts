/**
 * A ServiceProtocol for a service of the AWS query protocol (IAM 2010-05-08, STS 2011-06-15),
 * built from its generated model and its table of operations:
 *
 *   request   POST / (or GET /?...), form body `Action=CreateUser&Version=2010-05-08&UserName=bob`
 *   routing   by the SigV4 credential scope's service (`iam`, `sts`)
 *   decode    Action and Version, then the input by the model (decode-input.ts)
 *   validate  required members and the model's constraints → ValidationError
 *   respond   XML (encode-output.ts), errors as <ErrorResponse> with the model's code and status
 *   record    requestParameters/responseElements as CloudTrail writes them (record-form.ts)
 */
import { ServiceError, protocolErrors } from '../../errors.js';
import type { HttpRequest, HttpResponse } from '../../http-types.js';
import type { OperationDescription, ServiceMetadata, ShapeTable } from '../../model/validate-input.js';
import { checkConstraints, validateInput } from '../../model/validate-input.js';
import type { OperationTable } from '../../operation-spec.js';
import { UNSUPPORTED } from '../../operation-spec.js';
import type { RecordedDateStyle } from '../recorded-date.js';
import type { DecodedCall, ServiceProtocol } from '../service-protocol.js';
import { safeEventName } from '../service-protocol.js';
import { decodeQueryInput } from './decode-input.js';
import { encodeQueryError, encodeQueryResponse } from './encode-output.js';
import type { FormParameters } from './form-params.js';
import { formParameters } from './form-params.js';
import { queryErrors } from './query-errors.js';
import { recordedForm, sensitiveStrings } from './record-form.js';
import { queryWireError } from './wire-errors.js';

export interface QueryServiceDefinition<Name extends string, Inputs extends { [Op in Name]: unknown }, Outputs extends { [Op in Name]: unknown }> {
  /** The generated model's metadata; `xmlNamespace` names the responses' namespace. */
  metadata: ServiceMetadata;
  operations: { readonly [Op in Name]: OperationDescription };
  shapes: ShapeTable;
  /** Every operation of the model: a handler, or UNSUPPORTED. */
  table: OperationTable<Name, Inputs, Outputs>;
  eventSource: string;
  /** See ServiceProtocol.recordRegion (IAM: us-east-1). */
  recordRegion?: string;
  /** How the service's records write timestamps (IAM and STS differ by one comma). */
  recordedDates: RecordedDateStyle;
  /** Operations every authenticated caller may make without any policy. */
  openToEveryCaller?: readonly NoInfer<Name>[];
  /** How CloudTrail records operations whose verb misleads (ServiceProtocol.readOnly, recordsResponse). */
  recordedAs?: Partial<Record<NoInfer<Name>, { readOnly?: boolean; recordsResponse?: boolean }>>;
}

const CONTENT_TYPE = 'text/xml';

function headers(requestId: string): Record<string, string> {
  return { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, date: new Date().toUTCString() };
}

/** Removes sensitive values a validation message would quote ("Value '...' at 'password'"). */
function withoutSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret !== '') out = out.split(`Value '${secret}' at`).join('Value at');
  return out;
}

export function queryServiceProtocol<Name extends string, Inputs extends { [Op in Name]: unknown }, Outputs extends { [Op in Name]: unknown }>(
  definition: QueryServiceDefinition<Name, Inputs, Outputs>,
): ServiceProtocol {
  const { metadata, operations, shapes, table } = definition;
  const xmlNamespace = metadata.xmlNamespace ?? '';
  const open = new Set<string>(definition.openToEveryCaller ?? []);
  const recordedAs = (operation: string) =>
    definition.recordedAs !== undefined && Object.hasOwn(definition.recordedAs, operation) ? definition.recordedAs[operation as Name] : undefined;
  /** One parse per request: eventNameOf and decode both need the parameters. */
  const parsed = new WeakMap<HttpRequest, FormParameters | ServiceError>();
  /** Each output's XML, encoded before the call is recorded, so encoding cannot fail after it. */
  const bodies = new WeakMap<object, string>();

  const isOperation = (name: string): name is Name => Object.hasOwn(operations, name);

  function parametersOf(request: HttpRequest): FormParameters {
    let result = parsed.get(request);
    if (result === undefined) {
      try {
        result = formParameters(request);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        result = error;
      }
      parsed.set(request, result);
    }
    if (result instanceof ServiceError) throw result;
    return result;
  }

  function encode(call: DecodedCall, output: unknown, requestId: string): string {
    const description = operations[call.operation as Name];
    return encodeQueryResponse(
      shapes,
      {
        operation: call.operation,
        xmlNamespace,
        ...(description.output !== undefined && { outputShape: description.output }),
        ...(description.resultWrapper !== undefined && { resultWrapper: description.resultWrapper }),
        requestId,
      },
      output,
    );
  }

  function errorResponse(error: ServiceError, requestId: string): HttpResponse {
    const wire = queryWireError(shapes, error);
    return { status: wire.httpStatus, headers: headers(requestId), body: encodeQueryError(xmlNamespace, wire, requestId) };
  }

  function validate(call: DecodedCall): void {
    const inputShape = operations[call.operation as Name].input;
    if (inputShape === undefined) return;
    const problem = validateInput(shapes, inputShape, call.input) ?? checkConstraints(shapes, inputShape, call.input);
    if (problem === undefined) return;
    const message = withoutSecrets(problem.message, sensitiveStrings(shapes, inputShape, call.input));
    throw problem.kind === 'validation' ? queryErrors.validation(message) : queryErrors.invalidParameterValue(message);
  }

  return {
    signingName: metadata.signingName,
    eventSource: definition.eventSource,
    routing: 'credential-scope',
    matches: () => false,
    ...(definition.recordRegion !== undefined && { recordRegion: definition.recordRegion }),
    eventNameOf(request) {
      try {
        return safeEventName(parametersOf(request).get('Action'));
      } catch {
        return 'Unknown';
      }
    },
    decode(request) {
      if (request.method !== 'POST' && request.method !== 'GET') {
        throw queryErrors.malformedQueryString(`The AWS query protocol takes GET and POST requests, not ${request.method.slice(0, 16)}.`);
      }
      const parameters = parametersOf(request);
      const action = parameters.get('Action');
      if (action === undefined || action === '') throw queryErrors.missingAction();
      const version = parameters.get('Version');
      if (version === undefined || version === '') throw queryErrors.missingVersion();
      if (version !== metadata.apiVersion || !isOperation(action)) throw queryErrors.invalidAction(action, version);
      return { operation: action, input: decodeQueryInput(shapes, operations[action].input, parameters) };
    },
    async authorizationResource(call, context) {
      const spec = table[call.operation as Name];
      return spec === UNSUPPORTED ? '*' : (spec.authorizationResource?.(call.input as Inputs[Name], context) ?? '*');
    },
    requiresAuthorization: (call) => !open.has(call.operation),
    async invoke(call, context) {
      const spec = table[call.operation as Name];
      if (spec === UNSUPPORTED) throw protocolErrors.unsupportedOperation(call.operation);
      validate(call);
      const output: unknown = (await spec.handle(call.input as Inputs[Name], context)) ?? {};
      if (typeof output !== 'object' || output === null) throw new Error(`${call.operation} returned a ${typeof output}, not an object`);
      bodies.set(output, encode(call, output, context.requestId));
      return output;
    },
    recordedParameters(call, error) {
      // CloudTrail records a denied call of these services without its parameters.
      if (error?.code === 'AccessDeniedException') return null;
      return recordedForm(shapes, operations[call.operation as Name].input, call.input, definition.recordedDates);
    },
    recordedResponse: (call, output) => recordedForm(shapes, operations[call.operation as Name].output, output, definition.recordedDates),
    readOnly: (operation) => recordedAs(operation)?.readOnly,
    recordsResponse: (operation) => recordedAs(operation)?.recordsResponse,
    ok(output, requestId, call) {
      const cached = typeof output === 'object' && output !== null ? bodies.get(output) : undefined;
      if (cached !== undefined) return { status: 200, headers: headers(requestId), body: cached };
      // Not reached for outputs of invoke (encoded there); kept total for any other caller.
      try {
        if (call !== undefined) return { status: 200, headers: headers(requestId), body: encode(call, output, requestId) };
      } catch {
        // A handler's output that does not fit its shape: answered as below.
      }
      return errorResponse(protocolErrors.internal(), requestId);
    },
    error: errorResponse,
  };
}
