/**
 * The presigned (query-string) form of SigV4: the signature's parts travel as `X-Amz-*` query
 * parameters, the URL is valid for `X-Amz-Expires` seconds from `X-Amz-Date`, and the canonical
 * query is the query without `X-Amz-Signature` (a signature cannot cover itself).
 */
import { ALGORITHM, parseCredential } from './authorization-header.js';
import type { CredentialScope } from './authorization-header.js';
import { parseAmzDate } from './request-date.js';
import type { RequestDate } from './request-date.js';
import { queryErrors, s3OnlyErrors } from './s3-errors.js';
import type { SigV4Error } from './types.js';
import { percentDecode } from './uri-encoding.js';
import type { SignatureParts } from './verify-core.js';

/** A week: the longest validity SigV4 allows a presigned URL. */
export const MAX_EXPIRES_SECONDS = 604_800;

const NAMES = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;
const SIGNATURE = 'X-Amz-Signature';
const TOKEN = 'X-Amz-Security-Token';

/** Decoded name and value of each raw query parameter, with the raw text kept for rebuilding. */
function parameters(rawQuery: string): { name: string; value: string; raw: string }[] {
  return rawQuery
    .split('&')
    .filter((raw) => raw !== '')
    .map((raw) => {
      const equals = raw.indexOf('=');
      const name = equals < 0 ? raw : raw.slice(0, equals);
      const value = equals < 0 ? '' : raw.slice(equals + 1);
      return { name: percentDecode(name).toString('utf8'), value: percentDecode(value).toString('utf8'), raw };
    });
}

/** True when the query carries a presigned signature (it names the algorithm). */
export function isPresigned(rawQuery: string): boolean {
  return parameters(rawQuery).some(({ name }) => name === 'X-Amz-Algorithm');
}

export type PresignedParse =
  | {
      ok: true;
      parts: SignatureParts;
      /** The raw query without X-Amz-Signature, for the canonical request. */
      canonicalQuery: string;
      expiresSeconds: number;
      sessionToken?: string;
    }
  | { ok: false; error: SigV4Error; scope?: CredentialScope };

/** Parses the presigned parameters of a raw query string; every malformed case is an AuthorizationQueryParametersError. */
export function parsePresignedQuery(rawQuery: string): PresignedParse {
  const all = parameters(rawQuery);
  const found = new Map<string, string>();
  for (const { name, value } of all) {
    if (!(NAMES as readonly string[]).includes(name) && name !== TOKEN) continue;
    if (found.has(name)) return { ok: false, error: queryErrors.duplicate(name) };
    found.set(name, value);
  }
  const credential = found.get('X-Amz-Credential');
  const scope = credential === undefined ? undefined : parseCredential(credential);
  const fail = (error: SigV4Error): PresignedParse => ({ ok: false, error, ...(scope !== undefined && { scope }) });

  const missing = NAMES.filter((name) => found.get(name) === undefined);
  if (missing.length > 0) return fail(queryErrors.missing(missing));
  if (found.get('X-Amz-Algorithm') !== ALGORITHM) return fail(queryErrors.algorithm());
  if (scope === undefined) return fail(queryErrors.credential(credential ?? ''));
  const rawDate = found.get('X-Amz-Date') ?? '';
  const date: RequestDate | undefined = parseAmzDate(rawDate);
  if (date === undefined) return fail(queryErrors.date(rawDate));
  const rawExpires = found.get('X-Amz-Expires') ?? '';
  if (!/^-?\d{1,12}$/.test(rawExpires)) return fail(queryErrors.expiresNotNumber());
  const expiresSeconds = Number(rawExpires);
  if (expiresSeconds < 1) return fail(queryErrors.expiresTooSmall());
  if (expiresSeconds > MAX_EXPIRES_SECONDS) return fail(queryErrors.expiresTooLarge());

  const signedHeaders = (found.get('X-Amz-SignedHeaders') ?? '').split(';').map((name) => name.toLowerCase());
  const sessionToken = found.get(TOKEN);
  return {
    ok: true,
    parts: { scope, signedHeaders, signature: found.get(SIGNATURE) ?? '', date },
    canonicalQuery: all
      .filter(({ name }) => name !== SIGNATURE)
      .map(({ raw }) => raw)
      .join('&'),
    expiresSeconds,
    ...(sessionToken !== undefined && { sessionToken }),
  };
}

/**
 * A presigned URL's time rule: expired once `date + expires` has passed (no skew allowance, the
 * signer chose the window), and not yet valid when the date lies beyond the allowed skew ahead.
 */
export function presignedTimeError(
  date: RequestDate,
  expiresSeconds: number,
  nowMs: number,
  maxSkewMs: number,
): SigV4Error | undefined {
  if (!(date.epochMs <= nowMs + maxSkewMs)) return s3OnlyErrors.requestNotYetValid();
  if (!(date.epochMs + expiresSeconds * 1000 >= nowMs)) return s3OnlyErrors.requestExpired();
  return undefined;
}
