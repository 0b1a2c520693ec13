/**
 * Every operation of organizations 2016-11-28, each with its handler or UNSUPPORTED. To add an
 * operation: write `<operation>.ts` exporting an OperationSpec and put it here.
 */
import { describeAccount, listAccounts } from './accounts.js';
import { describeCreateAccountStatus, listCreateAccountStatus } from './create-account-status.js';
import { createAccount } from './create-account.js';
import { createOrganization } from './create-organization.js';
import {
  deregisterDelegatedAdministrator,
  listDelegatedAdministrators,
  listDelegatedServicesForAccount,
  registerDelegatedAdministrator,
} from './delegated-admins.js';
import { describeOrganization } from './describe-organization.js';
import { listAccountsForParent, listChildren, listOrganizationalUnitsForParent, listParents, listRoots } from './structure.js';
import type { OperationTable } from './operation-spec.js';
import { UNSUPPORTED } from './operation-spec.js';

export const organizationsOperations: OperationTable = {
  AcceptHandshake: UNSUPPORTED,
  AttachPolicy: UNSUPPORTED,
  CancelHandshake: UNSUPPORTED,
  CloseAccount: UNSUPPORTED,
  CreateAccount: createAccount,
  CreateGovCloudAccount: UNSUPPORTED,
  CreateOrganization: createOrganization,
  CreateOrganizationalUnit: UNSUPPORTED,
  CreatePolicy: UNSUPPORTED,
  DeclineHandshake: UNSUPPORTED,
  DeleteOrganization: UNSUPPORTED,
  DeleteOrganizationalUnit: UNSUPPORTED,
  DeletePolicy: UNSUPPORTED,
  DeleteResourcePolicy: UNSUPPORTED,
  DeregisterDelegatedAdministrator: deregisterDelegatedAdministrator,
  DescribeAccount: describeAccount,
  DescribeCreateAccountStatus: describeCreateAccountStatus,
  DescribeEffectivePolicy: UNSUPPORTED,
  DescribeHandshake: UNSUPPORTED,
  DescribeOrganization: describeOrganization,
  DescribeOrganizationalUnit: UNSUPPORTED,
  DescribePolicy: UNSUPPORTED,
  DescribeResourcePolicy: UNSUPPORTED,
  DescribeResponsibilityTransfer: UNSUPPORTED,
  DetachPolicy: UNSUPPORTED,
  DisableAWSServiceAccess: UNSUPPORTED,
  DisablePolicyType: UNSUPPORTED,
  EnableAWSServiceAccess: UNSUPPORTED,
  EnableAllFeatures: UNSUPPORTED,
  EnablePolicyType: UNSUPPORTED,
  InviteAccountToOrganization: UNSUPPORTED,
  InviteOrganizationToTransferResponsibility: UNSUPPORTED,
  LeaveOrganization: UNSUPPORTED,
  ListAWSServiceAccessForOrganization: UNSUPPORTED,
  ListAccounts: listAccounts,
  ListAccountsForParent: listAccountsForParent,
  ListAccountsWithInvalidEffectivePolicy: UNSUPPORTED,
  ListChildren: listChildren,
  ListCreateAccountStatus: listCreateAccountStatus,
  ListDelegatedAdministrators: listDelegatedAdministrators,
  ListDelegatedServicesForAccount: listDelegatedServicesForAccount,
  ListEffectivePolicyValidationErrors: UNSUPPORTED,
  ListHandshakesForAccount: UNSUPPORTED,
  ListHandshakesForOrganization: UNSUPPORTED,
  ListInboundResponsibilityTransfers: UNSUPPORTED,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListOutboundResponsibilityTransfers: UNSUPPORTED,
  ListParents: listParents,
  ListPolicies: UNSUPPORTED,
  ListPoliciesForTarget: UNSUPPORTED,
  ListRoots: listRoots,
  ListTagsForResource: UNSUPPORTED,
  ListTargetsForPolicy: UNSUPPORTED,
  MoveAccount: UNSUPPORTED,
  PutResourcePolicy: UNSUPPORTED,
  RegisterDelegatedAdministrator: registerDelegatedAdministrator,
  RemoveAccountFromOrganization: UNSUPPORTED,
  TagResource: UNSUPPORTED,
  TerminateResponsibilityTransfer: UNSUPPORTED,
  UntagResource: UNSUPPORTED,
  UpdateOrganizationalUnit: UNSUPPORTED,
  UpdatePolicy: UNSUPPORTED,
  UpdateResponsibilityTransfer: UNSUPPORTED,
};
