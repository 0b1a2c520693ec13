/**
 * Authentication step: SigV4 against the key's secret. The outcome keeps the caller whenever
 * the key is known, even when the signature is wrong, so the failed call is still recorded in
 * that account's history (a wrong signature with a real key id is worth seeing).
 *
 * Two kinds of key: long-term (AKIA…, an IAM user's) and temporary (ASIA…, an STS session's).
 * A temporary key also needs the session's own token in X-Amz-Security-Token, and works only
 * until the session expires (see ../iam/session-credentials.ts).
 */
import type { Caller } from '../iam/caller.js';
import type { IdentityService } from '../iam/identity-service.js';
import type { ResolvedSession } from '../iam/session-credentials.js';
import { checkSession, isSessionAccessKeyId } from '../iam/session-credentials.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { HttpRequest } from './http-types.js';
import { headerValue } from './http-types.js';
import { verifySigV4 } from './sigv4/index.js';
import type { SigV4Error } from './sigv4/index.js';

export type Authentication =
  | { ok: true; caller: Caller; region: string }
  | { ok: false; error: ServiceError; caller?: Caller; region?: string };

const CREDENTIAL_KEY_ID = /Credential=([^/,\s]{1,128})\//;

/** What a key id resolves to, whichever its kind. */
interface ResolvedKey {
  caller: Caller;
  secret: string;
  session?: ResolvedSession;
  active: boolean;
}

async function resolveKey(identity: IdentityService, keyId: string): Promise<ResolvedKey | undefined> {
  if (isSessionAccessKeyId(keyId)) {
    const session = await identity.resolveSessionKey(keyId);
    return session && { caller: session.caller, secret: session.secret, session, active: true };
  }
  return identity.resolveAccessKey(keyId);
}

/**
 * After a valid signature: whether the credentials may act now. A long-term key must not come
 * with a session token; a session's key must come with its own, unexpired one. Credentials from
 * GetSessionToken without MFA cannot call IAM, as in AWS.
 */
function credentialsError(resolved: ResolvedKey, token: string | undefined, services: readonly string[], nowMs: number): ServiceError | undefined {
  if (resolved.session === undefined) {
    if (token !== undefined) return protocolErrors.invalidSessionToken();
    return resolved.active ? undefined : protocolErrors.inactiveKey();
  }
  const check = checkSession(resolved.session, token, nowMs);
  if (check === 'invalid') return protocolErrors.invalidSessionToken();
  if (check === 'expired') return protocolErrors.expiredSessionToken();
  const caller = resolved.caller;
  if (caller.type === 'IAMUser' && caller.session?.mfaAuthenticated !== true && services.includes('iam')) {
    return protocolErrors.invalidSessionToken();
  }
  return undefined;
}

export async function authenticate(
  request: HttpRequest,
  services: readonly string[],
  identity: IdentityService,
  nowMs: number,
): Promise<Authentication> {
  const keyId = CREDENTIAL_KEY_ID.exec(headerValue(request, 'authorization') ?? '')?.[1];
  return authenticateWith(keyId, services, identity, nowMs, (lookupSecret) => verifySigV4(request, { services, nowMs, lookupSecret }));
}

/** What a verifier answers: success with at least the scope's region, or an AWS-shaped failure. */
export type Verified = { ok: true; region: string; sessionToken?: string } | { ok: false; error: SigV4Error; region?: string };

/**
 * Authentication with any form of SigV4 verification (the header form on a buffered body
 * above; the gateway's streaming and presigned forms). `keyId` is the credential's key id as
 * the request names it; `verify` gets the lookup of that key's secret. The verifier's own
 * success value comes back as `verified`, for what the caller still has to check (a body).
 */
export async function authenticateWith<T extends Verified>(
  keyId: string | undefined,
  services: readonly string[],
  identity: IdentityService,
  nowMs: number,
  verify: (lookupSecret: (accessKeyId: string) => string | undefined) => T,
): Promise<Authentication & { verified?: Extract<T, { ok: true }> }> {
  const resolved = keyId === undefined ? undefined : await resolveKey(identity, keyId);
  const result: Verified = verify((id) => (resolved !== undefined && id === keyId ? resolved.secret : undefined));
  if (!result.ok) {
    const failure = result;
    const error = new ServiceError(failure.error.code, failure.error.message, failure.error.httpStatus);
    return {
      ok: false,
      error,
      ...(resolved && { caller: resolved.caller }),
      ...(failure.region !== undefined && { region: failure.region }),
    };
  }
  // Resolved is defined here: verification only succeeds with a secret.
  if (resolved === undefined) return { ok: false, error: protocolErrors.inactiveKey(), region: result.region };
  const refused = credentialsError(resolved, result.sessionToken, services, nowMs);
  if (refused !== undefined) return { ok: false, error: refused, caller: resolved.caller, region: result.region };
  return { ok: true, caller: resolved.caller, region: result.region, verified: result as Extract<T, { ok: true }> };
}
