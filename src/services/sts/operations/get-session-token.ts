/**
 * GetSessionToken: temporary credentials for the IAM user whose long-term key signed the
 * request (12 hours by default, 900-129600 seconds as the model bounds it). Temporary
 * credentials cannot get more of themselves, as in AWS. It needs no permission: AWS does not
 * let policies control it.
 */
import { clientError } from '../../../api/errors.js';
import { issueCredentials } from './issue-credentials.js';
import type { OperationSpec } from './operation-spec.js';
import { refuseUnsupported, USER_SESSION_DEFAULT_SECONDS } from './session-rules.js';

export const getSessionToken: OperationSpec<'GetSessionToken'> = {
  async handle(input, context) {
    const { caller } = context;
    if (caller.type !== 'IAMUser' || caller.session !== undefined) {
      throw clientError('AccessDeniedException', 'Cannot call GetSessionToken with session credentials');
    }
    // OpenTrail has no MFA devices: a session that claims MFA it cannot check is refused.
    refuseUnsupported('GetSessionToken', input, ['SerialNumber', 'TokenCode']);
    return {
      Credentials: issueCredentials(
        {
          accountId: caller.accountId,
          issuer: { kind: 'user', userName: caller.userName },
          durationSeconds: input.DurationSeconds ?? USER_SESSION_DEFAULT_SECONDS,
          mfaAuthenticated: false,
        },
        context,
      ),
    };
  },
};
