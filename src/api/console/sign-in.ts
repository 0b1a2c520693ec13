/**
 * Console sign-in with an access key, and its ConsoleLogin record. The record is committed
 * before the answer, success or failure: a sign-in nobody can see afterwards did not happen (no
 * session is opened when its record cannot be stored).
 *
 * Who a failure is recorded as: a known key's user, in its account (a wrong secret for a real
 * key is worth seeing); a key nobody has, in the server's first account as
 * HIDDEN_DUE_TO_SECURITY_REASONS, as CloudTrail records a sign-in by an unknown user name.
 * Attempts beyond SIGN_INS_PER_MINUTE from one address are refused before they are attempts
 * (not recorded), so a password-guessing loop cannot flood the history.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { consoleLoginRecord, HIDDEN_USER_NAME } from '../../core/console-login-record.js';
import { newGuid } from '../../core/ids.js';
import { prepareEvent } from '../../core/prepare-event.js';
import type { Clock } from '../../core/clock.js';
import type { UserIdentity } from '../../core/record.js';
import type { Caller } from '../../iam/caller.js';
import type { IdentityService } from '../../iam/identity-service.js';
import { isSessionAccessKeyId } from '../../iam/session-credentials.js';
import type { EventStore } from '../../store/event-store.js';
import { StoreOverloadedError } from '../../store/event-store.js';
import { ConsoleError } from './console-http.js';

const SIGN_INS_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

export interface SignInRequest {
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
}

export interface SignInFacts {
  sourceIPAddress: string;
  userAgent: string;
  region: string;
  /** The console URL the sign-in leads to (additionalEventData.LoginTo). */
  loginTo: string;
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

export interface SignInDeps {
  identity: IdentityService;
  events: EventStore;
  clock: Clock;
  logger: Logger;
}

/** The body of POST /console/api/sign-in, checked. */
export function parseSignIn(body: Buffer): SignInRequest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ConsoleError('ValidationException', 'The sign-in request must be JSON: {"accessKeyId", "secretAccessKey"}.', 400);
  }
  const input = value as Record<string, unknown> | null;
  const field = (name: string, max: number): string => {
    const member = input?.[name];
    if (typeof member !== 'string' || member === '' || member.length > max) {
      throw new ConsoleError('ValidationException', `${name} is required: a string of 1 to ${max} characters.`, 400);
    }
    return member;
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConsoleError('ValidationException', 'The sign-in request must be a JSON object.', 400);
  }
  const region = input.region;
  if (region !== undefined && typeof region !== 'string') throw new ConsoleError('ValidationException', 'region must be a string.', 400);
  return { accessKeyId: field('accessKeyId', 128), secretAccessKey: field('secretAccessKey', 128), ...(region !== undefined && { region }) };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Per source address, attempts in the current minute. */
export class SignInThrottle {
  #minute = 0;
  #counts = new Map<string, number>();

  admit(sourceIp: string, nowMs: number): boolean {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#counts = new Map();
    }
    const count = (this.#counts.get(sourceIp) ?? 0) + 1;
    this.#counts.set(sourceIp, count);
    return count <= SIGN_INS_PER_MINUTE;
  }
}

/** CloudTrail's ConsoleLogin identity: the user, without the key (a console sign-in uses none). */
function signedInIdentity(caller: Caller): UserIdentity {
  const { accountId, principalId, arn } = caller;
  return { type: caller.type, principalId, arn, accountId, ...(caller.type === 'IAMUser' && { userName: caller.userName }) };
}

/**
 * Checks the key and records the attempt. Answers the caller on success; throws AuthFailure
 * (recorded), or ThrottlingException / InternalFailure when the attempt could not be recorded.
 */
export async function signIn(request: SignInRequest, facts: SignInFacts, deps: SignInDeps): Promise<Caller> {
  const nowMs = deps.clock.now();
  // Session keys (ASIA…) are an STS session's, not a user's: the console signs in users.
  const resolved = isSessionAccessKeyId(request.accessKeyId) ? undefined : await deps.identity.resolveAccessKey(request.accessKeyId);
  // Hashing first makes the comparison constant-time whatever the lengths.
  const secretMatches = resolved !== undefined && timingSafeEqual(digest(resolved.secret), digest(request.secretAccessKey));
  const success = resolved !== undefined && resolved.active && secretMatches;
  let identity: UserIdentity;
  let accountId: string;
  if (resolved !== undefined) {
    identity = signedInIdentity(resolved.caller);
    accountId = resolved.caller.accountId;
  } else {
    const first = (await deps.identity.store.listAccounts())[0];
    if (first === undefined) throw new ConsoleError('AuthFailure', 'Your authentication information is incorrect. Please try again.', 401);
    accountId = first.accountId;
    identity = { type: 'IAMUser', accountId, accessKeyId: '', userName: HIDDEN_USER_NAME };
  }
  const record = consoleLoginRecord({
    identity,
    recipientAccountId: accountId,
    region: facts.region,
    timeMs: nowMs,
    sourceIPAddress: facts.sourceIPAddress,
    userAgent: facts.userAgent.slice(0, 1024),
    success,
    loginTo: facts.loginTo,
    eventId: newGuid(),
    ...(facts.tls !== undefined && { tls: facts.tls }),
  });
  try {
    await deps.events.append([prepareEvent(accountId, facts.region, record)]);
  } catch (error) {
    if (error instanceof StoreOverloadedError) throw new ConsoleError('ThrottlingException', 'Too many events are waiting to be recorded; sign in again shortly.', 429);
    deps.logger.error({ err: error, accountId }, 'recording a console sign-in failed');
    throw new ConsoleError('InternalFailure', 'The sign-in could not be recorded, so it did not happen; try again.', 500);
  }
  if (!success) throw new ConsoleError('AuthFailure', 'Your authentication information is incorrect. Please try again.', 401);
  return resolved.caller;
}
