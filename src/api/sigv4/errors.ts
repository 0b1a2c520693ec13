/**
 * The SigV4 failures a client can see, worded as AWS JSON services word them so that SDK users
 * searching for a message find the same explanations they would for AWS itself.
 */
import type { SigV4Error } from './types.js';

/** Client text is echoed, as AWS does, but bounded so that a hostile header cannot bloat responses and logs. */
const MAX_ECHO = 512;

/** Bounds client-supplied text quoted in an error message. */
export function echo(text: string): string {
  return text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO)}...`;
}

function incomplete(message: string): SigV4Error {
  return { code: 'IncompleteSignatureException', message, httpStatus: 400 };
}

function invalid(message: string): SigV4Error {
  return { code: 'InvalidSignatureException', message, httpStatus: 400 };
}

/** Which parts the Authorization header (or the request) lacks, in the order AWS lists them. */
export interface MissingParts {
  credential: boolean;
  signature: boolean;
  signedHeaders: boolean;
  date: boolean;
}

/** Constructors for every SigV4 failure, named by cause; codes and wording follow AWS. */
export const sigv4Errors = {
  missingAuthenticationToken: (): SigV4Error => ({
    code: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
    httpStatus: 403,
  }),

  missingParts: (missing: MissingParts, authorization: string): SigV4Error => {
    const sentences: string[] = [];
    if (missing.credential) sentences.push("Authorization header requires 'Credential' parameter.");
    if (missing.signature) sentences.push("Authorization header requires 'Signature' parameter.");
    if (missing.signedHeaders) sentences.push("Authorization header requires 'SignedHeaders' parameter.");
    if (missing.date) {
      sentences.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    sentences.push(`Authorization=${echo(authorization)}`);
    return incomplete(sentences.join(' '));
  },

  notKeyValuePair: (token: string, authorization: string): SigV4Error =>
    incomplete(
      `'${echo(token)}' not a valid key=value pair (missing equal-sign) in Authorization header: ` +
        `'${echo(authorization)}'.`,
    ),

  duplicateParameter: (name: string): SigV4Error =>
    incomplete(`Authorization header has more than one '${echo(name)}' parameter.`),

  credentialShape: (credential: string): SigV4Error =>
    incomplete(
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
        `got '${echo(credential)}'`,
    ),

  amzDateFormat: (value: string): SigV4Error =>
    incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${echo(value)}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    ),

  httpDateFormat: (value: string): SigV4Error =>
    incomplete(`Date header must be an HTTP-date such as 'Sun, 06 Nov 1994 08:49:37 GMT'. Got '${echo(value)}'.`),

  scopeDateMismatch: (scopeDate: string, amzDate: string): SigV4Error =>
    invalid(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${echo(scopeDate)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    ),

  invalidRegion: (region: string): SigV4Error =>
    invalid(`Credential should be scoped to a valid region, not '${echo(region)}'. `),

  wrongService: (expected: readonly string[]): SigV4Error =>
    invalid(`Credential should be scoped to correct service: '${expected.join("' or '")}'. `),

  wrongTerminator: (terminator: string): SigV4Error =>
    invalid(`Credential should be scoped with a valid terminator: 'aws4_request', not '${echo(terminator)}'. `),

  hostNotSigned: (): SigV4Error => invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),

  dateNotSigned: (headerName: 'X-Amz-Date' | 'Date'): SigV4Error =>
    invalid(`'${headerName}' must be a 'SignedHeader' in the AWS Authorization.`),

  signedHeaderMissing: (name: string): SigV4Error =>
    invalid(`'${echo(name)}' is listed in SignedHeaders but is not present in the request.`),

  expired: (amzDate: string, limit: string, now: string, minutes: string): SigV4Error =>
    invalid(`Signature expired: ${amzDate} is now earlier than ${limit} (${now} - ${minutes} min.)`),

  notYetCurrent: (amzDate: string, limit: string, now: string, minutes: string): SigV4Error =>
    invalid(`Signature not yet current: ${amzDate} is still later than ${limit} (${now} + ${minutes} min.)`),

  unrecognizedClient: (): SigV4Error => ({
    code: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
    httpStatus: 400,
  }),

  contentSha256Mismatch: (): SigV4Error =>
    invalid("The provided 'x-amz-content-sha256' header does not match what was computed."),

  signatureMismatch: (): SigV4Error =>
    invalid(
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
};
