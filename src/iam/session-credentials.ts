/**
 * Temporary credentials issued by STS (AssumeRole, GetSessionToken): how their access key
 * (ASIA…) resolves to a caller, and how the session token a request carries is checked.
 *
 * The token is never stored, only its SHA-256: a copy of the database cannot be replayed as
 * credentials. The secret is sealed like a long-term key's (SecretBox).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { userArn } from '../core/arn.js';
import type { AssumedRoleCaller, Caller, CallerSession, IamUserCaller } from './caller.js';
import type { IdentityStore, Role, StoredSession, User } from './identity-store.js';
import type { SecretBox } from './secret-box.js';

/** Temporary access key ids start with ASIA, long-term ones with AKIA (as in AWS). */
export function isSessionAccessKeyId(accessKeyId: string): boolean {
  return accessKeyId.startsWith('ASIA');
}

/** SHA-256 (hex) of a session token: what the store keeps. */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether `token` is the session's token. Both sides are hashed first, so the compare is over
 * equal lengths and takes the same time whatever the client sent.
 */
export function sessionTokenMatches(token: string, storedHash: string): boolean {
  const given = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}

/** What a request signed with a session's key is checked against. */
export interface ResolvedSession {
  /** Who the credentials act as; set even when the session no longer works, so failures are recorded. */
  caller: Caller;
  secret: string;
  tokenHash: string;
  expiresAtMs: number;
  /**
   * False when the role (or user) the session was issued for is gone, or was deleted and
   * created again under the same name (a new role id): its sessions stop working.
   */
  issuerExists: boolean;
}

export function roleArnOf(role: Pick<Role, 'accountId' | 'path' | 'roleName'>): string {
  return `arn:aws:iam::${role.accountId}:role${role.path}${role.roleName}`;
}

export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

function callerSessionOf(session: StoredSession): CallerSession {
  return {
    creationDateMs: session.createdAt,
    expiresAtMs: session.expiresAt,
    mfaAuthenticated: session.mfaAuthenticated,
    ...(session.sourceIdentity !== undefined && { sourceIdentity: session.sourceIdentity }),
  };
}

function assumedRoleCaller(session: StoredSession, issuer: { roleName: string; roleId: string; rolePath: string }): AssumedRoleCaller {
  const sessionName = session.sessionName ?? '';
  return {
    type: 'AssumedRole',
    accountId: session.accountId,
    principalId: `${issuer.roleId}:${sessionName}`,
    arn: assumedRoleArn(session.accountId, issuer.roleName, sessionName),
    accessKeyId: session.accessKeyId,
    roleName: issuer.roleName,
    roleId: issuer.roleId,
    rolePath: issuer.rolePath,
    roleArn: roleArnOf({ accountId: session.accountId, path: issuer.rolePath, roleName: issuer.roleName }),
    sessionName,
    session: callerSessionOf(session),
  };
}

function userSessionCaller(session: StoredSession, userName: string, user: User | undefined): IamUserCaller {
  return {
    type: 'IAMUser',
    accountId: session.accountId,
    // A deleted user's id is unknown; the record then carries the name only where the id would be.
    principalId: user?.principalId ?? userName,
    arn: userArn(session.accountId, user?.userName ?? userName),
    accessKeyId: session.accessKeyId,
    userName: user?.userName ?? userName,
    session: callerSessionOf(session),
  };
}

/** The session behind a temporary access key id, or undefined when there is none. */
export async function resolveSession(store: IdentityStore, box: SecretBox, accessKeyId: string): Promise<ResolvedSession | undefined> {
  const session = await store.findSession(accessKeyId);
  if (session === undefined) return undefined;
  const common = { secret: box.open(session.secretSealed), tokenHash: session.tokenHash, expiresAtMs: session.expiresAt };
  const issuer = session.issuer;
  if (issuer.kind === 'role') {
    const role = await store.getRole(session.accountId, issuer.roleName);
    return { ...common, caller: assumedRoleCaller(session, issuer), issuerExists: role !== undefined && role.roleId === issuer.roleId };
  }
  const user = await store.getUser(session.accountId, issuer.userName);
  return { ...common, caller: userSessionCaller(session, issuer.userName, user), issuerExists: user !== undefined };
}

export type SessionCheck = 'valid' | 'invalid' | 'expired';

/**
 * Whether a request may act with the session: it carries the session's own token (a missing
 * one, or another session's, is invalid), the session's issuer still exists, and it has not
 * expired. Expiry is checked last, so that an expired session with a wrong token is
 * "invalid", never confirming to a guesser that the key id exists with some other token.
 */
export function checkSession(resolved: ResolvedSession, token: string | undefined, nowMs: number): SessionCheck {
  if (token === undefined || !sessionTokenMatches(token, resolved.tokenHash) || !resolved.issuerExists) return 'invalid';
  return nowMs >= resolved.expiresAtMs ? 'expired' : 'valid';
}
