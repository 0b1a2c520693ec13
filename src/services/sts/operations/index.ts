/** Every operation of sts 2011-06-15, by name: a handler, or UNSUPPORTED (a query-protocol UnsupportedOperation error). */
import { getCallerIdentity } from './get-caller-identity.js';
import type { OperationTable } from './operation-spec.js';
import { UNSUPPORTED } from './operation-spec.js';

export const stsOperations: OperationTable = {
  AssumeRole: UNSUPPORTED,
  AssumeRoleWithSAML: UNSUPPORTED,
  AssumeRoleWithWebIdentity: UNSUPPORTED,
  AssumeRoot: UNSUPPORTED,
  DecodeAuthorizationMessage: UNSUPPORTED,
  GetAccessKeyInfo: UNSUPPORTED,
  GetCallerIdentity: getCallerIdentity,
  GetDelegatedAccessToken: UNSUPPORTED,
  GetFederationToken: UNSUPPORTED,
  GetSessionToken: UNSUPPORTED,
  GetWebIdentityToken: UNSUPPORTED,
};
