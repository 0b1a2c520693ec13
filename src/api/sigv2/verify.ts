/**
 * Server-side verification of S3's Signature Version 2, in its two forms:
 *
 * - the query form (presigned URLs, the AWS CLI v1 and boto3 defaults): `AWSAccessKeyId`,
 *   `Signature` and `Expires` (epoch seconds) in the query; the string to sign has Expires in
 *   place of the date. botocore signs a session token (and any other `x-amz-*` header it moves
 *   into the URL) as an `x-amz-*` header, then sends it as a query parameter: the query's
 *   `x-amz-*` parameters are canonicalized with the headers.
 * - the header form: `Authorization: AWS <key id>:<signature>`, with `Date` (or `x-amz-date`,
 *   which then leaves the date line empty) within 15 minutes of now.
 *
 * SigV2 signs no body (only a Content-MD5 when one is given) and names no region. Pure: the
 * time and the secret come from the caller.
 */
import { timingSafeEqual } from 'node:crypto';
import { parseAmzDate, parseHttpDate } from '../sigv4/request-date.js';
import type { HeaderRecord, SigV4Error } from '../sigv4/types.js';
import { sigv2Errors } from './errors.js';
import { canonicalizedAmzHeaders, canonicalizedResource, s3SigV2Signature, s3SigV2StringToSign, unquote } from './string-to-sign.js';

/** The header form's allowed distance between the request's date and now, as S3's. */
export const SIGV2_MAX_SKEW_MS = 15 * 60 * 1000;

export interface S3SigV2Request {
  method: string;
  /** Raw request path as sent (percent-encoded), without the query; without the bucket when virtual-hosted. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Lower-case names; an array is repeated header lines (pass `headersDistinct` to keep them apart). */
  headers: HeaderRecord;
}

export interface S3SigV2Options {
  /** Server time in epoch milliseconds. */
  nowMs: number;
  /** The plaintext secret of a key id, undefined when unknown; called once, on a well-formed request. */
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** The bucket a virtual-hosted request names in its Host: the canonical resource starts with it. */
  virtualHostBucket?: string;
  /** Header form only: default 15 minutes. */
  maxSkewMs?: number;
}

export type S3SigV2AuthenticationMethod = 'QueryString' | 'AuthHeader';

/** A failure carries the key id (and the form) whenever they could be parsed, for attribution. */
export type S3SigV2Result =
  | { ok: true; accessKeyId: string; sessionToken?: string; authenticationMethod: S3SigV2AuthenticationMethod }
  | { ok: false; error: SigV4Error; accessKeyId?: string; authenticationMethod?: S3SigV2AuthenticationMethod };

const HEADER_FORM = /^AWS ([^:\s]+):(\S+)$/;
const QUERY_AUTH = ['AWSAccessKeyId', 'Signature', 'Expires'] as const;

function values(headers: HeaderRecord, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function single(headers: HeaderRecord, name: string): string | undefined {
  const all = values(headers, name);
  return all.length === 0 ? undefined : all.join(',');
}

function headerEntries(headers: HeaderRecord): [string, string][] {
  const out: [string, string][] = [];
  for (const name of Object.keys(headers)) for (const value of values(headers, name)) out.push([name, value]);
  return out;
}

/** Raw `name=value` pairs of a query, values percent-decoded (Python's unquote, `+` kept). */
function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [unquote(part), ''] : [unquote(part.slice(0, eq)), unquote(part.slice(eq + 1))];
  });
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Unequal lengths still take a comparison, against the expected value itself.
  return x.length === y.length ? timingSafeEqual(x, y) : !timingSafeEqual(y, y);
}

interface Signed {
  accessKeyId: string;
  signature: string;
  dateOrExpires: string;
  amzEntries: [string, string][];
  sessionToken?: string;
  contentType?: string;
  contentMd5?: string;
}

type Parsed = { ok: true; signed: Signed } | { ok: false; error: SigV4Error; accessKeyId?: string };

function parseQueryForm(request: S3SigV2Request, nowMs: number): Parsed {
  const pairs = queryPairs(request.query);
  const found = new Map<string, string>();
  for (const name of QUERY_AUTH) {
    const given = pairs.filter(([n]) => n === name);
    if (given.length > 1) return { ok: false, error: sigv2Errors.duplicateParameter(name) };
    if (given.length === 1) found.set(name, given[0]![1]);
  }
  const accessKeyId = found.get('AWSAccessKeyId');
  const attributed = accessKeyId !== undefined && accessKeyId !== '' ? { accessKeyId } : {};
  const signature = found.get('Signature');
  const expires = found.get('Expires');
  if (accessKeyId === undefined || accessKeyId === '' || signature === undefined || signature === '' || expires === undefined) {
    return { ok: false, error: sigv2Errors.missingQueryParameters(), ...attributed };
  }
  if (!/^\d{1,15}$/.test(expires)) return { ok: false, error: sigv2Errors.expiresNotANumber(expires), accessKeyId };
  if (Math.floor(nowMs / 1000) > Number(expires)) return { ok: false, error: sigv2Errors.expired(), accessKeyId };
  const queryAmz = pairs.filter(([name]) => name.toLowerCase().startsWith('x-amz-'));
  const tokens = queryAmz.filter(([name]) => name.toLowerCase() === 'x-amz-security-token');
  if (tokens.length > 1) return { ok: false, error: sigv2Errors.duplicateParameter('x-amz-security-token'), accessKeyId };
  const sessionToken = tokens[0]?.[1] ?? single(request.headers, 'x-amz-security-token');
  const queryValue = (name: string): string | undefined => pairs.find(([n]) => n.toLowerCase() === name)?.[1];
  const contentType = single(request.headers, 'content-type') ?? queryValue('content-type');
  const contentMd5 = single(request.headers, 'content-md5') ?? queryValue('content-md5');
  return {
    ok: true,
    signed: {
      accessKeyId,
      signature,
      dateOrExpires: expires,
      amzEntries: [...headerEntries(request.headers), ...queryAmz],
      ...(sessionToken !== undefined && { sessionToken }),
      ...(contentType !== undefined && { contentType }),
      ...(contentMd5 !== undefined && { contentMd5 }),
    },
  };
}

function parseHeaderForm(request: S3SigV2Request, authorization: string, nowMs: number, maxSkewMs: number): Parsed {
  const match = HEADER_FORM.exec(authorization.trim());
  if (match === null) {
    const keyId = /^AWS ([^:\s]+):/.exec(authorization)?.[1];
    return { ok: false, error: sigv2Errors.malformedHeader(), ...(keyId !== undefined && { accessKeyId: keyId }) };
  }
  const accessKeyId = match[1]!;
  const amzDate = single(request.headers, 'x-amz-date');
  const date = single(request.headers, 'date');
  const timeText = (amzDate ?? date)?.trim();
  const time = timeText === undefined ? undefined : (parseHttpDate(timeText) ?? parseAmzDate(timeText));
  if (time === undefined) return { ok: false, error: sigv2Errors.missingDate(), accessKeyId };
  if (Math.abs(time.epochMs - nowMs) > maxSkewMs) return { ok: false, error: sigv2Errors.skewed(), accessKeyId };
  const sessionToken = single(request.headers, 'x-amz-security-token');
  const contentType = single(request.headers, 'content-type');
  const contentMd5 = single(request.headers, 'content-md5');
  return {
    ok: true,
    signed: {
      accessKeyId,
      signature: match[2]!,
      // With x-amz-date, S3 ignores Date: the date line is empty (x-amz-date is among the amz headers).
      dateOrExpires: amzDate !== undefined ? '' : (date ?? '').trim(),
      amzEntries: headerEntries(request.headers),
      ...(sessionToken !== undefined && { sessionToken }),
      ...(contentType !== undefined && { contentType }),
      ...(contentMd5 !== undefined && { contentMd5 }),
    },
  };
}

/** The string to sign of a parsed request. */
function stringToSignOf(request: S3SigV2Request, signed: Signed, virtualHostBucket: string | undefined): string {
  return s3SigV2StringToSign({
    method: request.method,
    contentMd5: (signed.contentMd5 ?? '').trim(),
    contentType: (signed.contentType ?? '').trim(),
    dateOrExpires: signed.dateOrExpires,
    amzHeaders: canonicalizedAmzHeaders(signed.amzEntries),
    resource: canonicalizedResource(request.path, request.query, virtualHostBucket),
  });
}

export function verifyS3SigV2(request: S3SigV2Request, options: S3SigV2Options): S3SigV2Result {
  const authorization = single(request.headers, 'authorization');
  const inQuery = queryPairs(request.query).some(([name]) => name === 'Signature' || name === 'AWSAccessKeyId');
  if (authorization !== undefined && inQuery) return { ok: false, error: sigv2Errors.bothAuthForms() };
  const authenticationMethod: S3SigV2AuthenticationMethod = authorization === undefined ? 'QueryString' : 'AuthHeader';
  const parsed =
    authorization === undefined
      ? parseQueryForm(request, options.nowMs)
      : parseHeaderForm(request, authorization, options.nowMs, options.maxSkewMs ?? SIGV2_MAX_SKEW_MS);
  if (!parsed.ok) return { ok: false, error: parsed.error, authenticationMethod, ...(parsed.accessKeyId !== undefined && { accessKeyId: parsed.accessKeyId }) };
  const { signed } = parsed;
  const secret = options.lookupSecret(signed.accessKeyId);
  if (secret === undefined) return { ok: false, error: sigv2Errors.unknownKey(), accessKeyId: signed.accessKeyId, authenticationMethod };
  const expected = s3SigV2Signature(secret, stringToSignOf(request, signed, options.virtualHostBucket));
  if (!constantTimeEqual(signed.signature, expected)) {
    return { ok: false, error: sigv2Errors.signatureMismatch(), accessKeyId: signed.accessKeyId, authenticationMethod };
  }
  return {
    ok: true,
    accessKeyId: signed.accessKeyId,
    authenticationMethod,
    ...(signed.sessionToken !== undefined && { sessionToken: signed.sessionToken }),
  };
}

