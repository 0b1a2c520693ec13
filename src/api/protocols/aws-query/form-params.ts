/**
 * Reads the parameters of a query-protocol request: the `application/x-www-form-urlencoded`
 * body of a POST (plus its query string), or the query string of a GET. Bounded so that a
 * hostile request costs little: at most MAX_PARAMETERS parameters, names of at most
 * MAX_NAME_LENGTH characters; the body itself is already bounded by the HTTP adapter.
 */
import type { HttpRequest } from '../../http-types.js';
import { headerValue } from '../../http-types.js';
import { queryErrors } from './query-errors.js';

export const MAX_PARAMETERS = 5000;
export const MAX_NAME_LENGTH = 512;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Parameters in the order they came; a name given twice keeps its first value. */
export type FormParameters = ReadonlyMap<string, string>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw queryErrors.malformedQueryString('The request contains a malformed percent-encoding or invalid UTF-8.');
  }
}

/** Parses `a=1&b=2` text into `into`, enforcing the bounds. */
function parseInto(text: string, into: Map<string, string>): void {
  if (text === '') return;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    const pair = text.slice(start, end);
    start = end + 1;
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    if (rawName.length > MAX_NAME_LENGTH * 3) throw tooLongName();
    const name = decodeComponent(rawName);
    if (name.length > MAX_NAME_LENGTH) throw tooLongName();
    const value = equals < 0 ? '' : decodeComponent(pair.slice(equals + 1));
    if (!into.has(name)) {
      if (into.size >= MAX_PARAMETERS) {
        throw queryErrors.malformedQueryString(`The request has more than ${MAX_PARAMETERS} parameters.`);
      }
      into.set(name, value);
    }
  }
}

function tooLongName(): Error {
  return queryErrors.malformedQueryString(`A parameter name is longer than ${MAX_NAME_LENGTH} characters.`);
}

export function isFormContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === FORM_CONTENT_TYPE;
}

/** The request's parameters, or a MalformedQueryString error. */
export function formParameters(request: HttpRequest): FormParameters {
  const parameters = new Map<string, string>();
  parseInto(request.query, parameters);
  if (request.method === 'GET' || request.body.length === 0) return parameters;
  if (!isFormContentType(headerValue(request, 'content-type'))) {
    throw queryErrors.malformedQueryString(`The request body must be ${FORM_CONTENT_TYPE} (the AWS query protocol).`);
  }
  let text: string;
  try {
    text = utf8.decode(request.body);
  } catch {
    throw queryErrors.malformedQueryString('The request body is not valid UTF-8.');
  }
  parseInto(text, parameters);
  return parameters;
}
