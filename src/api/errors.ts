/**
 * Errors that reach the wire. Every failure a client can see is a ServiceError carrying the
 * AWS error code (`__type`), a message, and the HTTP status. Anything else that escapes a
 * handler is a bug and answers InternalFailure (500) without leaking details.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /**
   * Members the error's model shape has besides its message (Organizations' `Reason` of
   * InvalidInputException and ConstraintViolationException), sent in the JSON error body.
   */
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: string, message: string, httpStatus = 400, fields: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.fields = fields;
  }
}

/** Shorthand for modelled client errors (all 400 in CloudTrail's model). */
export function clientError(code: string, message: string): ServiceError {
  return new ServiceError(code, message, 400);
}

export const protocolErrors = {
  unknownOperation: (target: string) =>
    new ServiceError('UnknownOperationException', `Unknown operation: ${target || '(no X-Amz-Target header)'}`),
  unsupportedOperation: (operation: string) =>
    new ServiceError(
      'UnsupportedOperationException',
      `The operation ${operation} is not supported by this OpenTrail server yet.`,
    ),
  unsupportedMediaType: (contentType: string) =>
    new ServiceError(
      'UnsupportedMediaTypeException',
      `Unsupported Content-Type "${contentType}"; expected application/x-amz-json-1.1.`,
      415,
    ),
  serialization: (message: string) => new ServiceError('SerializationException', message),
  validation: (message: string) => new ServiceError('ValidationException', message),
  requestTooLarge: (limit: number) =>
    new ServiceError('RequestEntityTooLargeException', `Request body is larger than the limit of ${limit} bytes.`, 413),
  accessDenied: (principalArn: string, action: string, resource: string, explicit: boolean) =>
    new ServiceError(
      'AccessDeniedException',
      `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because ` +
        (explicit ? 'an explicit deny in an identity-based policy denies it' : `no identity-based policy allows the ${action} action`),
    ),
  inactiveKey: () =>
    new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  /** A session token that is missing, not the key's own, or of a session that no longer works. */
  invalidSessionToken: () =>
    new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  /** JSON services answer ExpiredTokenException; query services ExpiredToken, 403 (aws-query/wire-errors.ts). */
  expiredSessionToken: () => new ServiceError('ExpiredTokenException', 'The security token included in the request is expired'),
  throttling: (message: string) => new ServiceError('ThrottlingException', message),
  requestTimeout: (headersSeconds: number, requestSeconds: number) =>
    new ServiceError(
      'RequestTimeout',
      `The request was not received in time (headers within ${headersSeconds} s, the whole request within ${requestSeconds} s); the connection is closed.`,
      408,
    ),
  headersTooLarge: (limit: number) =>
    new ServiceError('RequestHeaderFieldsTooLarge', `Request headers are larger than the limit of ${limit} bytes.`, 431),
  malformedHttp: (reason: string) => new ServiceError('BadRequestException', `The request is not valid HTTP/1.1: ${reason}.`),
  internal: () => new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
};
