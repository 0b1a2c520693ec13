/** Every operation of sts 2011-06-15, by name: a handler, or UNSUPPORTED (a query-protocol UnsupportedOperation error). */
import { assumeRole } from './assume-role.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { getSessionToken } from './get-session-token.js';
import type { OperationTable } from './operation-spec.js';
import { UNSUPPORTED } from './operation-spec.js';

export const stsOperations: OperationTable = {
  AssumeRole: assumeRole,
  AssumeRoleWithSAML: UNSUPPORTED,
  AssumeRoleWithWebIdentity: UNSUPPORTED,
  AssumeRoot: UNSUPPORTED,
  DecodeAuthorizationMessage: UNSUPPORTED,
  GetAccessKeyInfo: UNSUPPORTED,
  GetCallerIdentity: getCallerIdentity,
  GetDelegatedAccessToken: UNSUPPORTED,
  GetFederationToken: UNSUPPORTED,
  GetSessionToken: getSessionToken,
  GetWebIdentityToken: UNSUPPORTED,
};
