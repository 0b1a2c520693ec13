/**
 * Changes of identity state (IAM, STS, Organizations) as data: staged by handlers and applied by
 * the event log with the call's record, like every StateChange (./state-change.ts).
 */
import type {
  Account,
  AccessKeyStatus,
  CreateAccountRequest,
  DelegatedAdmin,
  Group,
  InlinePolicy,
  ManagedPolicy,
  Organization,
  OrganizationAccount,
  PolicyVersion,
  PrincipalRef,
  Role,
  StoredAccessKey,
  StoredSession,
  User,
} from '../iam/identity-store.js';

export type IdentityChange =
  | { kind: 'createAccount'; account: Account }
  | { kind: 'createUser'; user: User }
  /** UpdateUser: rename and/or move; keys, policies and group memberships follow the user. */
  | { kind: 'updateUser'; accountId: string; userName: string; newUserName?: string; newPath?: string }
  | { kind: 'deleteUser'; accountId: string; userName: string }
  | { kind: 'createAccessKey'; key: StoredAccessKey }
  | { kind: 'setAccessKeyStatus'; accountId: string; accessKeyId: string; status: AccessKeyStatus }
  | { kind: 'deleteAccessKey'; accountId: string; accessKeyId: string }
  /** Creates or replaces the inline policy of that name. */
  | { kind: 'putInlinePolicy'; policy: InlinePolicy }
  | { kind: 'deleteInlinePolicy'; principal: PrincipalRef; policyName: string }
  | { kind: 'createManagedPolicy'; policy: ManagedPolicy; firstVersion: PolicyVersion }
  | { kind: 'deleteManagedPolicy'; policyArn: string }
  | { kind: 'createPolicyVersion'; version: PolicyVersion; setAsDefault: boolean }
  | { kind: 'deletePolicyVersion'; policyArn: string; versionId: string }
  | { kind: 'setDefaultPolicyVersion'; policyArn: string; versionId: string; timeMs: number }
  | { kind: 'attachPolicy'; principal: PrincipalRef; policyArn: string }
  | { kind: 'detachPolicy'; principal: PrincipalRef; policyArn: string }
  | { kind: 'createRole'; role: Role }
  | { kind: 'updateRole'; accountId: string; roleName: string; description?: string; maxSessionDuration?: number }
  | { kind: 'updateAssumeRolePolicy'; accountId: string; roleName: string; document: string }
  | { kind: 'deleteRole'; accountId: string; roleName: string }
  | { kind: 'createGroup'; group: Group }
  | { kind: 'deleteGroup'; accountId: string; groupName: string }
  | { kind: 'addUserToGroup'; accountId: string; groupName: string; userName: string }
  | { kind: 'removeUserFromGroup'; accountId: string; groupName: string; userName: string }
  | { kind: 'createSession'; session: StoredSession }
  | { kind: 'createOrganization'; organization: Organization; managementAccount: OrganizationAccount }
  | { kind: 'addOrganizationAccount'; member: OrganizationAccount }
  /** Inserts or updates (by requestId) a CreateAccount request's status. */
  | { kind: 'putCreateAccountRequest'; request: CreateAccountRequest }
  | { kind: 'registerDelegatedAdmin'; admin: DelegatedAdmin }
  | { kind: 'deregisterDelegatedAdmin'; orgId: string; accountId: string; servicePrincipal: string };
