/** Identity rows as SQLite stores them, and their domain objects: one mapping each way. */
import type {
  AccessKeyLastUsed,
  AccessKeyStatus,
  Account,
  CreateAccountRequest,
  CreateAccountState,
  DelegatedAdmin,
  Group,
  IamTag,
  InlinePolicy,
  ManagedPolicy,
  Organization,
  OrganizationAccount,
  PolicyVersion,
  PrincipalKind,
  Role,
  SessionIssuer,
  StoredAccessKey,
  StoredSession,
  User,
} from '../../iam/identity-store.js';

type Nullable<T> = T | null;

function optional<T>(value: Nullable<T>): T | undefined {
  return value ?? undefined;
}

export function toAccount(row: { account_id: string; name: string; created_at: number }): Account {
  return { accountId: row.account_id, name: row.name, createdAt: row.created_at };
}

interface UserRow {
  account_id: string;
  user_name: string;
  principal_id: string;
  path: string;
  tags: string;
  created_at: number;
}

export function toUser(row: UserRow): User {
  return {
    accountId: row.account_id,
    userName: row.user_name,
    principalId: row.principal_id,
    path: row.path,
    tags: JSON.parse(row.tags) as IamTag[],
    createdAt: row.created_at,
  };
}

/** In the column order account_id, user_name, principal_id, path, tags, created_at. */
export function userParams(user: User): unknown[] {
  return [user.accountId, user.userName, user.principalId, user.path, JSON.stringify(user.tags), user.createdAt];
}

interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  user_name: string;
  secret_sealed: string;
  status: AccessKeyStatus;
  created_at: number;
}

export function toAccessKey(row: AccessKeyRow): StoredAccessKey {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    userName: row.user_name,
    secretSealed: row.secret_sealed,
    status: row.status,
    createdAt: row.created_at,
  };
}

/** In the column order access_key_id, account_id, user_name, secret_sealed, status, created_at. */
export function accessKeyParams(key: StoredAccessKey): unknown[] {
  return [key.accessKeyId, key.accountId, key.userName, key.secretSealed, key.status, key.createdAt];
}

export function toLastUsed(row: { used_at: number; service_name: string; region: string }): AccessKeyLastUsed {
  return { timeMs: row.used_at, serviceName: row.service_name, region: row.region };
}

interface RoleRow {
  account_id: string;
  role_name: string;
  role_id: string;
  path: string;
  trust_policy: string;
  description: Nullable<string>;
  max_session_duration: number;
  tags: string;
  created_at: number;
}

export function toRole(row: RoleRow): Role {
  const description = optional(row.description);
  return {
    accountId: row.account_id,
    roleName: row.role_name,
    roleId: row.role_id,
    path: row.path,
    trustPolicy: row.trust_policy,
    ...(description !== undefined && { description }),
    maxSessionDuration: row.max_session_duration,
    tags: JSON.parse(row.tags) as IamTag[],
    createdAt: row.created_at,
  };
}

export function toGroup(row: { account_id: string; group_name: string; group_id: string; path: string; created_at: number }): Group {
  return { accountId: row.account_id, groupName: row.group_name, groupId: row.group_id, path: row.path, createdAt: row.created_at };
}

export function toInlinePolicy(row: {
  account_id: string;
  principal_kind: PrincipalKind;
  principal_name: string;
  policy_name: string;
  document: string;
}): InlinePolicy {
  return {
    principal: { accountId: row.account_id, kind: row.principal_kind, name: row.principal_name },
    policyName: row.policy_name,
    document: row.document,
  };
}

interface ManagedPolicyRow {
  policy_arn: string;
  account_id: string;
  policy_name: string;
  policy_id: string;
  path: string;
  description: Nullable<string>;
  default_version_id: string;
  created_at: number;
  updated_at: number;
  last_version_number: number;
  tags: string;
}

export function toManagedPolicy(row: ManagedPolicyRow): ManagedPolicy {
  const description = optional(row.description);
  return {
    policyArn: row.policy_arn,
    accountId: row.account_id,
    policyName: row.policy_name,
    policyId: row.policy_id,
    path: row.path,
    ...(description !== undefined && { description }),
    defaultVersionId: row.default_version_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastVersionNumber: row.last_version_number,
    tags: JSON.parse(row.tags) as IamTag[],
  };
}

export function toPolicyVersion(row: { policy_arn: string; version_id: string; document: string; created_at: number }): PolicyVersion {
  return { policyArn: row.policy_arn, versionId: row.version_id, document: row.document, createdAt: row.created_at };
}

interface SessionRow {
  access_key_id: string;
  account_id: string;
  secret_sealed: string;
  token_hash: string;
  issuer: string;
  session_name: Nullable<string>;
  mfa_authenticated: number;
  source_identity: Nullable<string>;
  issued_with_access_key_id: string;
  created_at: number;
  expires_at: number;
}

export function toSession(row: SessionRow): StoredSession {
  const sessionName = optional(row.session_name);
  const sourceIdentity = optional(row.source_identity);
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    secretSealed: row.secret_sealed,
    tokenHash: row.token_hash,
    issuer: JSON.parse(row.issuer) as SessionIssuer,
    ...(sessionName !== undefined && { sessionName }),
    mfaAuthenticated: row.mfa_authenticated === 1,
    ...(sourceIdentity !== undefined && { sourceIdentity }),
    issuedWithAccessKeyId: row.issued_with_access_key_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function toOrganization(row: { org_id: string; management_account_id: string; feature_set: Organization['featureSet']; created_at: number }): Organization {
  return { orgId: row.org_id, managementAccountId: row.management_account_id, featureSet: row.feature_set, createdAt: row.created_at };
}

export function toOrganizationAccount(row: {
  org_id: string;
  account_id: string;
  name: string;
  email: string;
  joined_method: OrganizationAccount['joinedMethod'];
  joined_at: number;
}): OrganizationAccount {
  return { orgId: row.org_id, accountId: row.account_id, name: row.name, email: row.email, joinedMethod: row.joined_method, joinedAt: row.joined_at };
}

interface CreateAccountRequestRow {
  request_id: string;
  org_id: string;
  account_name: string;
  email: string;
  state: CreateAccountState;
  account_id: Nullable<string>;
  failure_reason: Nullable<string>;
  requested_at: number;
  completed_at: Nullable<number>;
}

export function toCreateAccountRequest(row: CreateAccountRequestRow): CreateAccountRequest {
  const accountId = optional(row.account_id);
  const failureReason = optional(row.failure_reason);
  const completedAt = optional(row.completed_at);
  return {
    requestId: row.request_id,
    orgId: row.org_id,
    accountName: row.account_name,
    email: row.email,
    state: row.state,
    ...(accountId !== undefined && { accountId }),
    ...(failureReason !== undefined && { failureReason }),
    requestedAt: row.requested_at,
    ...(completedAt !== undefined && { completedAt }),
  };
}

export function toDelegatedAdmin(row: { org_id: string; account_id: string; service_principal: string; registered_at: number }): DelegatedAdmin {
  return { orgId: row.org_id, accountId: row.account_id, servicePrincipal: row.service_principal, registeredAt: row.registered_at };
}
