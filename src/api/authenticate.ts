/**
 * Authentication step: SigV4 against the key's secret. The outcome keeps the caller whenever
 * the key is known, even when the signature is wrong, so the failed call is still recorded in
 * that account's history (a wrong signature with a real key id is worth seeing).
 */
import type { Caller } from '../iam/caller.js';
import type { IdentityService } from '../iam/identity-service.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { HttpRequest } from './http-types.js';
import { headerValue } from './http-types.js';
import { verifySigV4 } from './sigv4/index.js';

export type Authentication =
  | { ok: true; caller: Caller; region: string }
  | { ok: false; error: ServiceError; caller?: Caller; region?: string };

const CREDENTIAL_KEY_ID = /Credential=([^/,\s]{1,128})\//;

export async function authenticate(
  request: HttpRequest,
  services: readonly string[],
  identity: IdentityService,
  nowMs: number,
): Promise<Authentication> {
  const keyId = CREDENTIAL_KEY_ID.exec(headerValue(request, 'authorization') ?? '')?.[1];
  const resolved = keyId === undefined ? undefined : await identity.resolveAccessKey(keyId);
  const result = verifySigV4(request, {
    services,
    nowMs,
    lookupSecret: (id) => (resolved !== undefined && id === keyId ? resolved.secret : undefined),
  });
  if (!result.ok) {
    const error = new ServiceError(result.error.code, result.error.message, result.error.httpStatus);
    return {
      ok: false,
      error,
      ...(resolved && { caller: resolved.caller }),
      ...(result.region !== undefined && { region: result.region }),
    };
  }
  // Resolved is defined here: verification only succeeds with a secret.
  if (resolved === undefined || !resolved.active) {
    return { ok: false, error: protocolErrors.inactiveKey(), ...(resolved && { caller: resolved.caller }), region: result.region };
  }
  return { ok: true, caller: resolved.caller, region: result.region };
}
