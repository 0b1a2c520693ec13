/**
 * CreateAccount: a new 12-digit account joins the caller's organization as a member, with the
 * role (OrganizationAccountAccessRole unless RoleName says otherwise) that the management
 * account assumes to administer it: trusted to `arn:aws:iam::<management>:root`, with
 * AdministratorAccess attached. AWS does this in the background and reports IN_PROGRESS first;
 * here every part is staged in the call's one commit, so the request has SUCCEEDED once the
 * call answers, and nothing of it exists if its record could not be written.
 *
 * An e-mail address already used in the organization is not an error of the call: as in AWS,
 * the request is accepted and FAILED with EMAIL_ALREADY_EXISTS.
 *
 * Tags and IamUserAccessToBilling are accepted and not kept: OpenTrail has neither account
 * tags nor billing.
 */
import { newAccountId, newIamId } from '../../../core/ids.js';
import type { OperationContext } from '../../../api/operation-context.js';
import type { CreateAccountRequest, OrganizationAccount, Role } from '../../../iam/identity-store.js';
import { awsManagedPolicyArn } from '../../../iam/identity-store.js';
import { managementOrganization } from '../org-access.js';
import { orgErrors } from '../org-errors.js';
import { newCreateAccountRequestId } from '../org-ids.js';
import { createAccountStatusShape } from '../org-shapes.js';
import type { OperationSpec } from './operation-spec.js';

export const DEFAULT_ACCESS_ROLE_NAME = 'OrganizationAccountAccessRole';

/** The trust policy of the access role: the management account (any of its principals allowed by their own policies) may assume it. */
export function accessRoleTrustPolicy(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}

/** A fresh account id: drawn again in the unlikely case it is taken (the commit refuses a taken one anyway). */
async function unusedAccountId(context: OperationContext): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newAccountId();
    if ((await context.services.identity.store.getAccount(id)) === undefined) return id;
  }
  throw orgErrors.concurrentModification();
}

export const createAccount: OperationSpec<'CreateAccount'> = {
  async handle(input, context) {
    const org = await managementOrganization(context, 'CreateAccount');
    const store = context.services.identity.store;
    const request: CreateAccountRequest = {
      requestId: newCreateAccountRequestId(),
      orgId: org.orgId,
      accountName: input.AccountName,
      email: input.Email,
      state: 'SUCCEEDED',
      requestedAt: context.nowMs,
      completedAt: context.nowMs,
    };
    const members = await store.listOrganizationAccounts(org.orgId);
    if (members.some((m) => m.email.toLowerCase() === input.Email.toLowerCase())) {
      const failed: CreateAccountRequest = { ...request, state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' };
      context.stage({ kind: 'putCreateAccountRequest', request: failed });
      return { CreateAccountStatus: createAccountStatusShape(failed) };
    }

    const accountId = await unusedAccountId(context);
    const member: OrganizationAccount = {
      orgId: org.orgId,
      accountId,
      name: input.AccountName,
      email: input.Email,
      joinedMethod: 'CREATED',
      joinedAt: context.nowMs,
    };
    const roleName = input.RoleName ?? DEFAULT_ACCESS_ROLE_NAME;
    const role: Role = {
      accountId,
      roleName,
      roleId: newIamId('AROA'),
      path: '/',
      trustPolicy: accessRoleTrustPolicy(org.managementAccountId),
      maxSessionDuration: 3600,
      tags: [],
      createdAt: context.nowMs,
    };
    const succeeded: CreateAccountRequest = { ...request, accountId };
    const conflicts = { exists: orgErrors.concurrentModification() };
    context.stage({ kind: 'createAccount', account: { accountId, name: input.AccountName, createdAt: context.nowMs } }, conflicts);
    context.stage({ kind: 'addOrganizationAccount', member }, conflicts);
    context.stage({ kind: 'createRole', role }, conflicts);
    context.stage({ kind: 'attachPolicy', principal: { accountId, kind: 'role', name: roleName }, policyArn: awsManagedPolicyArn('AdministratorAccess') }, conflicts);
    context.stage({ kind: 'putCreateAccountRequest', request: succeeded });
    return { CreateAccountStatus: createAccountStatusShape(succeeded) };
  },
};
