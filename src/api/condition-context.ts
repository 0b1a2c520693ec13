/**
 * The facts of a request that policy conditions read (aws:SourceIp, aws:PrincipalArn, ...), as
 * IAM sets them. Keys IAM leaves out for a kind of caller stay undefined (absent), never false:
 * aws:MultiFactorAuthPresent is absent for long-term keys, aws:username for roles.
 */
import type { Caller } from '../iam/caller.js';
import type { RequestContext } from '../iam/policy/index.js';
import type { HttpRequest } from './http-types.js';

/** The peer's address as recorded: IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`. */
export function sourceIpOf(request: Pick<HttpRequest, 'remoteAddress'>): string {
  return request.remoteAddress.replace(/^::ffff:/, '');
}

function principalFacts(caller: Caller): Pick<RequestContext, 'principalArn' | 'principalType' | 'userId' | 'userName'> {
  switch (caller.type) {
    case 'IAMUser':
      return { principalArn: caller.arn, principalType: 'User', userId: caller.principalId, userName: caller.userName };
    case 'AssumedRole':
      // The role's ARN, not the session's: policies name roles, sessions come and go.
      return { principalArn: caller.roleArn, principalType: 'AssumedRole', userId: caller.principalId };
    case 'Root':
      return { principalArn: caller.arn, principalType: 'Account', userId: caller.accountId };
  }
}

function mfaFacts(caller: Caller, nowMs: number): Pick<RequestContext, 'mfaPresent' | 'mfaAgeSeconds'> {
  const session = caller.type === 'Root' ? undefined : caller.session;
  if (session === undefined) return {};
  if (!session.mfaAuthenticated) return { mfaPresent: false };
  return { mfaPresent: true, mfaAgeSeconds: Math.max(0, Math.floor((nowMs - session.creationDateMs) / 1000)) };
}

/** The condition context of a call by `caller`, made in `region` (its credential scope's) at `nowMs`. */
export function conditionContextOf(caller: Caller, request: HttpRequest, region: string, nowMs: number): RequestContext {
  return {
    currentTimeMs: nowMs,
    sourceIp: sourceIpOf(request),
    principalAccount: caller.accountId,
    ...principalFacts(caller),
    ...mfaFacts(caller, nowMs),
    requestedRegion: region,
    secureTransport: request.tls !== undefined,
  };
}
