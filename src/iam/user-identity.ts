/** A caller as CloudTrail writes it in a record's userIdentity (with sessionContext for temporary credentials). */
import type { UserIdentity } from '../core/record.js';
import { isoSeconds } from '../core/time-format.js';
import type { Caller, CallerSession } from './caller.js';

export function userIdentityOf(caller: Caller): UserIdentity {
  switch (caller.type) {
    case 'IAMUser':
      return {
        type: 'IAMUser',
        principalId: caller.principalId,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        userName: caller.userName,
        // GetSessionToken credentials: CloudTrail writes the empty issuer and federation data too.
        ...(caller.session !== undefined && {
          sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: sessionAttributes(caller.session) },
        }),
      };
    case 'AssumedRole':
      return {
        type: 'AssumedRole',
        principalId: caller.principalId,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: caller.roleId, arn: caller.roleArn, accountId: caller.accountId, userName: caller.roleName },
          attributes: sessionAttributes(caller.session),
          ...(caller.session.sourceIdentity !== undefined && { sourceIdentity: caller.session.sourceIdentity }),
        },
      };
    case 'Root':
      // No access key: the local administrator acted on the data directory (docs/identity.md).
      return { type: 'Root', principalId: caller.principalId, arn: caller.arn, accountId: caller.accountId };
  }
}

function sessionAttributes(session: CallerSession): { creationDate: string; mfaAuthenticated: string } {
  return { creationDate: isoSeconds(session.creationDateMs), mfaAuthenticated: String(session.mfaAuthenticated) };
}
