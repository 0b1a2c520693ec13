/**
 * AWS JSON 1.1 wire rules (the `json` protocol of cloudtrail 2013-11-01):
 * every call is `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and
 * `Content-Type: application/x-amz-json-1.1`; responses are JSON with the same content type;
 * errors carry the bare code in body `__type` (and in `x-amzn-ErrorType` for SDKs that read the
 * header first) plus `message`; every response has `x-amzn-RequestId`; timestamps are epoch
 * seconds as JSON numbers.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import type { ServiceError } from './errors.js';
import type { HttpResponse } from './http-types.js';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function isAwsJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === AWS_JSON_CONTENT_TYPE || mediaType === 'application/x-amz-json-1.0';
}

/**
 * The operation named by an X-Amz-Target header, or undefined. botocore sends the model's full
 * target prefix (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`), the
 * JavaScript SDK v3 only its last segment (`CloudTrail_20131101.LookupEvents`): accept both.
 */
export function operationOfTarget(target: string | undefined, targetPrefix: string): string | undefined {
  if (target === undefined) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  const shortPrefix = targetPrefix.slice(targetPrefix.lastIndexOf('.') + 1);
  return prefix === targetPrefix || prefix === shortPrefix ? target.slice(dot + 1) : undefined;
}

function baseHeaders(requestId: string, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'x-amzn-requestid': requestId, date: new Date().toUTCString() };
}

export function jsonResponse(output: unknown, requestId: string, contentType = AWS_JSON_CONTENT_TYPE): HttpResponse {
  return { status: 200, headers: baseHeaders(requestId, contentType), body: JSON.stringify(output ?? {}) };
}

export function errorResponse(error: ServiceError, requestId: string, contentType = AWS_JSON_CONTENT_TYPE): HttpResponse {
  return {
    status: error.httpStatus,
    headers: { ...baseHeaders(requestId, contentType), 'x-amzn-errortype': error.code },
    body: JSON.stringify({ ...error.fields, __type: error.code, message: error.message }),
  };
}
