/**
 * AssumeRole: temporary credentials for a role, if its trust policy trusts the caller (with
 * sts:ExternalId and sts:RoleSessionName in the context) and the caller's own policies allow
 * sts:AssumeRole on the role (the pipeline's authorization step, on authorizationResource).
 *
 * A role that does not exist is denied exactly like one that does not trust the caller, so the
 * answer does not tell which roles exist. Names and bounds the model states (RoleSessionName
 * [\w+=,.@-]{2,64}, DurationSeconds 900-43200, ExternalId 2-1224) are checked by the query
 * protocol before the handler runs.
 */
import { clientError } from '../../../api/errors.js';
import { assumedRoleArn, roleArnOf } from '../../../iam/session-credentials.js';
import type { AssumeRoleRequest } from '../model.gen.js';
import { issueCredentials } from './issue-credentials.js';
import type { OperationSpec } from './operation-spec.js';
import { parseRoleArn } from './role-arn.js';
import { trustAllows } from './role-trust.js';
import { isRoleChaining, refuseUnsupported, roleSessionSeconds } from './session-rules.js';

const UNSUPPORTED_MEMBERS: readonly (keyof AssumeRoleRequest)[] = [
  'Policy',
  'PolicyArns',
  'Tags',
  'TransitiveTagKeys',
  'SerialNumber',
  'TokenCode',
  'SourceIdentity',
  'ProvidedContexts',
];

function notAuthorized(callerArn: string, roleArn: string) {
  // AWS's wording for STS, as the samples' denied AssumeRole records show it.
  return clientError('AccessDeniedException', `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

export const assumeRole: OperationSpec<'AssumeRole'> = {
  authorizationResource: (input) => (typeof input.RoleArn === 'string' ? input.RoleArn : '*'),
  async handle(input, context) {
    refuseUnsupported('AssumeRole', input, UNSUPPORTED_MEMBERS);
    const { caller } = context;
    const wanted = parseRoleArn(input.RoleArn);
    const role = await context.services.identity.store.getRole(wanted.accountId, wanted.roleName);
    // The role's owner sees every attempt on its role, allowed or not, in its own history.
    if (role !== undefined) context.shareRecordWith(role.accountId);
    const conditions = {
      ...(context.conditions ?? { currentTimeMs: context.nowMs }),
      externalId: input.ExternalId,
      roleSessionName: input.RoleSessionName,
    };
    if (role === undefined || role.path !== wanted.path || !trustAllows(role, caller, conditions)) {
      throw notAuthorized(caller.arn, input.RoleArn);
    }
    const durationSeconds = roleSessionSeconds(input.DurationSeconds, role.maxSessionDuration, isRoleChaining(caller));
    const credentials = issueCredentials(
      {
        accountId: role.accountId,
        issuer: { kind: 'role', roleName: role.roleName, roleId: role.roleId, rolePath: role.path },
        sessionName: input.RoleSessionName,
        durationSeconds,
        // A session's MFA carries over when it assumes a role; OpenTrail has no MFA devices yet.
        mfaAuthenticated: caller.type !== 'Root' && caller.session?.mfaAuthenticated === true,
      },
      context,
    );
    const roleArn = roleArnOf(role);
    context.resources.push({ ARN: roleArn, accountId: role.accountId, type: 'AWS::IAM::Role' });
    return {
      Credentials: credentials,
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`,
        Arn: assumedRoleArn(role.accountId, role.roleName, input.RoleSessionName),
      },
    };
  },
};
