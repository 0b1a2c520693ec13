/**
 * The Authorization-header form of SigV4, parsed into the parts the shared checks take. Only the
 * syntax is judged here (parameters present, credential shape, date format), in AWS's order, so
 * that the first problem a client is told about is the one AWS would report.
 */
import { parseAuthorizationHeader, parseCredential } from './authorization-header.js';
import type { CredentialScope } from './authorization-header.js';
import { parseAmzDate, parseHttpDate } from './request-date.js';
import type { ErrorSet } from './s3-errors.js';
import type { SigV4Error } from './types.js';
import { single } from './verify-core.js';
import type { Headers, SignatureParts } from './verify-core.js';

/** X-Amz-Date wins over Date, as in AWS: clients that cannot set Date send X-Amz-Date instead. */
function requestDateHeader(headers: Headers): { name: 'X-Amz-Date' | 'Date'; value: string } | undefined {
  const amzDate = single(headers, 'x-amz-date');
  if (amzDate !== undefined) return { name: 'X-Amz-Date', value: amzDate };
  const httpDate = single(headers, 'date');
  return httpDate === undefined ? undefined : { name: 'Date', value: httpDate };
}

/** The parsed parts, or the error; either way the credential scope when it could be split. */
export type HeaderFormParse =
  | { ok: true; parts: SignatureParts }
  | { ok: false; error: SigV4Error; scope?: CredentialScope };

/** Parses the Authorization header (which the caller has found present and non-blank). */
export function parseHeaderForm(authorization: string, headers: Headers, errors: ErrorSet): HeaderFormParse {
  const parsed = parseAuthorizationHeader(authorization);
  if (parsed.kind === 'not-key-value') {
    return { ok: false, error: errors.notKeyValuePair(parsed.token, authorization) };
  }
  if (parsed.kind === 'duplicate') return { ok: false, error: errors.duplicateParameter(parsed.name) };
  const { credential, signedHeaders, signature } = parsed.kind === 'parameters' ? parsed.parameters : {};
  const scope = credential === undefined ? undefined : parseCredential(credential);
  const fail = (error: SigV4Error): HeaderFormParse => ({ ok: false, error, ...(scope !== undefined && { scope }) });

  const dateHeader = requestDateHeader(headers);
  if (credential === undefined || signedHeaders === undefined || signature === undefined || dateHeader === undefined) {
    const missing = {
      credential: credential === undefined,
      signature: signature === undefined,
      signedHeaders: signedHeaders === undefined,
      date: dateHeader === undefined,
    };
    return fail(errors.missingParts(missing, authorization));
  }
  if (scope === undefined) return fail(errors.credentialShape(credential));

  const date = dateHeader.name === 'X-Amz-Date' ? parseAmzDate(dateHeader.value) : parseHttpDate(dateHeader.value);
  if (date === undefined) {
    return fail(
      dateHeader.name === 'X-Amz-Date' ? errors.amzDateFormat(dateHeader.value) : errors.httpDateFormat(dateHeader.value),
    );
  }
  const signedHeaderNames = signedHeaders.split(';').map((name) => name.toLowerCase());
  return {
    ok: true,
    parts: { scope, signedHeaders: signedHeaderNames, signature, date, dateHeader: dateHeader.name },
  };
}
