/**
 * Parsing of the SigV4 `Authorization` header, e.g.
 * `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date,
 * Signature=<hex>`.
 * Tolerance follows AWS: parameters may come in any order and be separated by commas, blanks or
 * both, and unknown parameters are ignored. Nothing here decides validity beyond shape; that is
 * the verifier's job, so it can report the most useful error.
 */

/** The only algorithm this verifier (and every current AWS SDK for these services) uses. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The three parameters of a header-signed request; undefined when absent. */
export interface AuthorizationParameters {
  credential?: string;
  signedHeaders?: string;
  signature?: string;
}

/** What an Authorization header turned out to be. */
export type AuthorizationParse =
  | { kind: 'parameters'; parameters: AuthorizationParameters }
  /** Another scheme (SigV2, Bearer, SigV4a...): AWS answers as if every parameter were missing. */
  | { kind: 'other-scheme' }
  | { kind: 'not-key-value'; token: string }
  | { kind: 'duplicate'; name: string };

const PARAMETER_KEYS: Readonly<Record<string, keyof AuthorizationParameters>> = {
  Credential: 'credential',
  SignedHeaders: 'signedHeaders',
  Signature: 'signature',
};

/** Parses an Authorization header value. Total: any string yields a result. */
export function parseAuthorizationHeader(header: string): AuthorizationParse {
  const tokens = header.split(/[\s,]+/).filter((token) => token !== '');
  if (tokens[0] !== ALGORITHM) return { kind: 'other-scheme' };
  const parameters: AuthorizationParameters = {};
  for (const token of tokens.slice(1)) {
    const equals = token.indexOf('=');
    if (equals < 0) return { kind: 'not-key-value', token };
    const name = token.slice(0, equals);
    if (!Object.hasOwn(PARAMETER_KEYS, name)) continue;
    const key = PARAMETER_KEYS[name]!;
    if (parameters[key] !== undefined) return { kind: 'duplicate', name };
    parameters[key] = token.slice(equals + 1);
  }
  return { kind: 'parameters', parameters };
}

/** The five elements of `Credential=<key>/<date>/<region>/<service>/<terminator>`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** Splits a Credential parameter; undefined unless it has exactly five slash-separated elements. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}
