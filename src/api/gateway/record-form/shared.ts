/** Helpers the protocol record forms share: headers, query strings, names, bounded JSON. */
import { isObject } from '../../../core/is-object.js';
import type { ForwardedCall, RecordForm, UpstreamError } from '../contract.js';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Facts about the call the record form does not derive itself (from the route tables and CloudTrail's names). */
export interface RecordFacts {
  eventName: string;
  readOnly: boolean;
  /** Set for data events (`AWS::S3::Object`): the record's eventCategory is then `Data`. */
  dataResourceType?: string;
}

/** The fields every protocol fills in the same way. */
export function baseForm(facts: RecordFacts): Pick<RecordForm, 'eventName' | 'readOnly' | 'eventCategory'> {
  return { eventName: facts.eventName, readOnly: facts.readOnly, eventCategory: facts.dataResourceType !== undefined ? 'Data' : 'Management' };
}

/** A header's value (the first, when repeated); names are lower-case in the views. */
export function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Percent-decoding that never throws: a malformed escape leaves the text as sent. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Caps on what one record may take from an untrusted request. */
export const MAX_QUERY_PARAMS = 200;
export const MAX_VALUE_LENGTH = 4096;

/**
 * The query string's parameters in order, decoded (`+` is a space, as in form encoding; a name
 * without `=` has the value `""`). At most MAX_QUERY_PARAMS; repeated names keep the first value.
 */
export function queryParams(query: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  if (query === '') return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq === -1 ? '' : safeDecode(part.slice(eq + 1).replace(/\+/g, ' '));
    if (seen.has(name)) continue;
    seen.add(name);
    out.push([name, value.slice(0, MAX_VALUE_LENGTH)]);
    if (out.length >= MAX_QUERY_PARAMS) break;
  }
  return out;
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A JSON body as an object, or undefined when absent, not JSON or not an object. */
export function jsonObject(body: Buffer | undefined, maxBytes = 1024 * 1024): Record<string, unknown> | undefined {
  if (body === undefined || body.length === 0 || body.length > maxBytes) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the upstream answered with a failure (no answer at all is not an upstream error). */
export function failed(call: ForwardedCall): boolean {
  const status = call.response?.status;
  return status !== undefined && status >= 300 && status !== 304;
}

/** The error of a failed JSON or REST-JSON answer: `__type` without namespace, `message`/`Message`. */
export function jsonError(call: ForwardedCall): UpstreamError | undefined {
  if (!failed(call)) return undefined;
  const body = jsonObject(call.response?.body) ?? {};
  const rawType = typeof body.__type === 'string' ? body.__type : (header(call.response?.headers, 'x-amzn-errortype') ?? '');
  // `com.amazonaws.kms#NotFoundException`, `NotFoundException:http://internal.amazon.com/...`
  const code = rawType.slice(rawType.lastIndexOf('#') + 1).split(':')[0]!.trim();
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : '';
  return { code: code !== '' ? code : statusCode(call.response?.status ?? 500), message };
}

/** When an upstream names no code: the status in words, the way S3 names HEAD failures (`NotFound`). */
export function statusCode(status: number): string {
  const words: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    412: 'PreconditionFailed',
    416: 'InvalidRange',
    500: 'InternalError',
    501: 'NotImplemented',
    503: 'ServiceUnavailable',
  };
  return words[status] ?? `Http${status}`;
}

/** Optional members only when defined, so records carry no `undefined` fields. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

/** The partition of a region (`cn-north-1` is in `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

const MAX_DEPTH = 32;

export interface MemberRules {
  /** Members whose values are maps with caller-chosen keys (`EncryptionContext`, `Tags`): kept verbatim. */
  maps?: ReadonlySet<string>;
  /** Members whose values are maps with caller-chosen keys (DynamoDB's `RequestItems`, by table) whose values are members again. */
  keyedMaps?: ReadonlySet<string>;
  /** Members left out wherever they occur. */
  drop?: ReadonlySet<string>;
  /** Members whose value is replaced by a marker, wherever they occur. */
  hide?: ReadonlyMap<string, string>;
}

/**
 * Members as CloudTrail records them: lowerCamelCase names at every level (`TableName` becomes
 * `tableName`), except inside map members, whose keys are the caller's; dropped and hidden
 * members per `rules` (matched by their wire name, at any depth). Built with fromEntries, so a
 * member named `__proto__` stays a plain member; depth-capped.
 */
export function recordMembersOf(value: unknown, rules: MemberRules = {}, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => recordMembersOf(item, rules, depth + 1));
  const out: [string, unknown][] = [];
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    if (rules.drop?.has(name)) continue;
    const marker = rules.hide?.get(name);
    if (marker !== undefined) out.push([lowerFirst(name), marker]);
    else if (rules.maps?.has(name)) out.push([lowerFirst(name), member]);
    else if (rules.keyedMaps?.has(name) && member !== null && typeof member === 'object' && !Array.isArray(member)) {
      const entries = Object.entries(member as Record<string, unknown>).map(([key, inner]) => [key, recordMembersOf(inner, rules, depth + 2)]);
      out.push([lowerFirst(name), Object.fromEntries(entries)]);
    }
    else out.push([lowerFirst(name), recordMembersOf(member, rules, depth + 1)]);
  }
  return Object.fromEntries(out);
}
