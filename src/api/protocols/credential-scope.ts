/**
 * The SigV4 credential scope's service of a request (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`
 * in the Authorization header, or the `X-Amz-Credential` query parameter of a presigned URL).
 * Routing reads it: IAM and STS share `POST /` with form bodies, so only the service the client
 * signed for tells them apart. Nothing is verified here; authentication does that later.
 */
import type { HttpRequest } from '../http-types.js';
import { headerValue } from '../http-types.js';
import { parseAuthorizationHeader, parseCredential } from '../sigv4/authorization-header.js';

/** Longer values are not a credential any SDK sends; they are not worth parsing. */
const MAX_CREDENTIAL_LENGTH = 512;

function presignedCredential(query: string): string | undefined {
  if (!query.includes('X-Amz-Credential=')) return undefined;
  try {
    return new URLSearchParams(query).get('X-Amz-Credential') ?? undefined;
  } catch {
    return undefined;
  }
}

function headerCredential(request: HttpRequest): string | undefined {
  const authorization = headerValue(request, 'authorization');
  if (authorization === undefined || authorization.length > 8192) return undefined;
  const parsed = parseAuthorizationHeader(authorization);
  return parsed.kind === 'parameters' ? parsed.parameters.credential : undefined;
}

/** The service named by the request's credential scope, or undefined when it names none. */
export function credentialScopeService(request: HttpRequest): string | undefined {
  const credential = headerCredential(request) ?? presignedCredential(request.query);
  if (credential === undefined || credential.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const service = parseCredential(credential)?.service;
  return service !== undefined && /^[a-z0-9-]{1,64}$/.test(service) ? service : undefined;
}
