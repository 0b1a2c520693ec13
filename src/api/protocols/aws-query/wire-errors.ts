/**
 * How a ServiceError appears on the query protocol's wire. Handlers name modelled errors by
 * their shape (`NoSuchEntityException`), which is also what CloudTrail records as errorCode;
 * the wire code and status come from the model (`NoSuchEntity`, 404). The pipeline's own
 * errors carry JSON-protocol codes; query services answer those with their query names.
 */
import { ServiceError } from '../../errors.js';
import type { ShapeTable } from '../../model/validate-input.js';

/** JSON-protocol codes of the shared pipeline → the code and status query services answer. */
const QUERY_NAMES: Readonly<Record<string, { code: string; httpStatus: number }>> = {
  AccessDeniedException: { code: 'AccessDenied', httpStatus: 403 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', httpStatus: 403 },
  ExpiredTokenException: { code: 'ExpiredToken', httpStatus: 403 },
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', httpStatus: 403 },
  IncompleteSignatureException: { code: 'IncompleteSignature', httpStatus: 400 },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', httpStatus: 403 },
  ThrottlingException: { code: 'Throttling', httpStatus: 400 },
  ValidationException: { code: 'ValidationError', httpStatus: 400 },
  UnsupportedOperationException: { code: 'UnsupportedOperation', httpStatus: 400 },
  RequestEntityTooLargeException: { code: 'RequestEntityTooLarge', httpStatus: 413 },
};

export interface WireError {
  code: string;
  message: string;
  httpStatus: number;
}

/**
 * The pipeline's own codes are renamed first: STS models an ExpiredTokenException (of
 * AssumeRoleWithSAML's assertion), but an expired session token is the common query error
 * ExpiredToken, 403, like every other authentication failure.
 */
export function queryWireError(shapes: ShapeTable, error: ServiceError): WireError {
  const renamed = Object.hasOwn(QUERY_NAMES, error.code) ? QUERY_NAMES[error.code] : undefined;
  if (renamed !== undefined) return { ...renamed, message: error.message };
  const shape = Object.hasOwn(shapes, error.code) ? shapes[error.code] : undefined;
  if (shape?.exception === true) {
    return { code: shape.errorCode ?? error.code, message: error.message, httpStatus: shape.httpStatus ?? error.httpStatus };
  }
  return { code: error.code, message: error.message, httpStatus: error.httpStatus };
}

/**
 * A modelled error, by its shape name, with the model's HTTP status:
 * `modelledError(shapes, 'NoSuchEntityException', 'The user with name bob cannot be found.')`.
 */
export function modelledError(shapes: ShapeTable, shapeName: string, message: string): ServiceError {
  const shape = Object.hasOwn(shapes, shapeName) ? shapes[shapeName] : undefined;
  if (shape?.exception !== true) throw new Error(`the model has no exception shape ${JSON.stringify(shapeName)}`);
  return new ServiceError(shapeName, message, shape.httpStatus ?? 400);
}
