/**
 * STS's rules for session requests, pure so they can be tested on their own: how long a session
 * may last, and which request members OpenTrail does not implement.
 */
import type { Caller } from '../../../iam/caller.js';
import { ServiceError } from '../../../api/errors.js';
import { queryErrors } from '../../../api/protocols/aws-query/query-errors.js';

/** AssumeRole's default, and the most a session may get when credentials assume a role again. */
export const ROLE_DEFAULT_SECONDS = 3600;
export const ROLE_CHAINING_MAX_SECONDS = 3600;
/** GetSessionToken's default (12 hours); the model bounds it to 900-129600. */
export const USER_SESSION_DEFAULT_SECONDS = 43_200;

/** Temporary credentials assuming a role is role chaining (GetSessionToken's included, as in AWS). */
export function isRoleChaining(caller: Caller): boolean {
  return caller.type === 'AssumedRole' || (caller.type === 'IAMUser' && caller.session !== undefined);
}

/**
 * The duration of a role session: the request's (the model already bounds it to 900-43200) or
 * one hour, within the role's MaxSessionDuration, and within one hour for role chaining.
 */
export function roleSessionSeconds(requested: number | undefined, maxSessionDuration: number, chaining: boolean): number {
  const seconds = requested ?? ROLE_DEFAULT_SECONDS;
  if (chaining && seconds > ROLE_CHAINING_MAX_SECONDS) {
    throw queryErrors.validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > maxSessionDuration) throw queryErrors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return seconds;
}

/**
 * Refuses, by name, the members of a request that OpenTrail does not implement (session
 * policies, session tags, MFA, ...), rather than issuing credentials that ignore them: a
 * session policy left out would grant more than the caller asked for.
 */
export function refuseUnsupported(operation: string, input: object, members: readonly string[]): void {
  const given = members.filter((member) => Object.hasOwn(input, member) && (input as Record<string, unknown>)[member] !== undefined);
  if (given.length === 0) return;
  throw new ServiceError(
    'UnsupportedOperationException',
    `OpenTrail does not support ${given.join(', ')} in ${operation} yet; send the request without ${given.length === 1 ? 'it' : 'them'}.`,
  );
}
