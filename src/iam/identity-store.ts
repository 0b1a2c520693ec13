/**
 * The identity port: accounts (tenants), their IAM users, access keys, groups, roles, policies,
 * STS sessions, and organizations. Secrets cross this port only sealed (see SecretBox); the
 * store never sees plaintext.
 *
 * Reads are methods here. Changes made by API calls are StateChange data
 * (../store/identity-change.ts), applied by the event log with the call's record; the write
 * methods that remain are for bootstrap and tests on an empty store.
 *
 * IAM names (users, roles, groups, policies) are unique per account regardless of case, as in
 * IAM, and lookups by name ignore case; the stored name keeps the case it was created with.
 */
export interface Account {
  accountId: string;
  name: string;
  createdAt: number;
}

export interface IamTag {
  Key: string;
  Value: string;
}

export interface User {
  accountId: string;
  userName: string;
  /** The user's unique id (AIDA…), CloudTrail's principalId. */
  principalId: string;
  /** IAM path, `/` by default. */
  path: string;
  tags: IamTag[];
  createdAt: number;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface StoredAccessKey {
  accessKeyId: string;
  accountId: string;
  userName: string;
  secretSealed: string;
  status: AccessKeyStatus;
  createdAt: number;
}

/** What GetAccessKeyLastUsed reports. */
export interface AccessKeyLastUsed {
  timeMs: number;
  serviceName: string;
  region: string;
}

export interface Role {
  accountId: string;
  roleName: string;
  /** AROA… */
  roleId: string;
  path: string;
  /** The trust policy document as given (JSON text), validated when set. */
  trustPolicy: string;
  description?: string;
  /** Seconds, 3600-43200. */
  maxSessionDuration: number;
  tags: IamTag[];
  createdAt: number;
}

export interface Group {
  accountId: string;
  groupName: string;
  /** AGPA… */
  groupId: string;
  path: string;
  createdAt: number;
}

export type PrincipalKind = 'user' | 'role' | 'group';

/** A user, role or group: what policies are attached to. */
export interface PrincipalRef {
  accountId: string;
  kind: PrincipalKind;
  name: string;
}

export interface InlinePolicy {
  principal: PrincipalRef;
  policyName: string;
  /** The policy document as given (JSON text). */
  document: string;
}

/** A customer managed policy (`arn:aws:iam::<account>:policy<path><name>`). */
export interface ManagedPolicy {
  policyArn: string;
  accountId: string;
  policyName: string;
  /** ANPA… */
  policyId: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  createdAt: number;
  updatedAt: number;
  /** The highest version number ever given (deleted versions' ids are never given again); set by the store. */
  lastVersionNumber?: number;
  tags?: IamTag[];
}

export interface PolicyVersion {
  policyArn: string;
  /** `v1`, `v2`, … never reused within a policy. */
  versionId: string;
  document: string;
  createdAt: number;
}

/** Who an STS session's credentials act as. */
export type SessionIssuer =
  | { kind: 'role'; roleName: string; roleId: string; rolePath: string }
  | { kind: 'user'; userName: string };

/** Temporary credentials (ASIA…) issued by STS. */
export interface StoredSession {
  accessKeyId: string;
  accountId: string;
  secretSealed: string;
  /** SHA-256 (hex) of the session token: the token itself is never stored. */
  tokenHash: string;
  issuer: SessionIssuer;
  /** RoleSessionName (roles); undefined for GetSessionToken. */
  sessionName?: string;
  mfaAuthenticated: boolean;
  sourceIdentity?: string;
  /** The access key id the session was requested with (CloudTrail's sessionCredentialFromConsole aside). */
  issuedWithAccessKeyId: string;
  createdAt: number;
  expiresAt: number;
}

export interface Organization {
  /** `o-` and 10-32 lower-case letters and digits. */
  orgId: string;
  managementAccountId: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  createdAt: number;
}

export interface OrganizationAccount {
  orgId: string;
  accountId: string;
  name: string;
  email: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: number;
}

export type CreateAccountState = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface CreateAccountRequest {
  /** `car-` and 8-32 lower-case letters and digits. */
  requestId: string;
  orgId: string;
  accountName: string;
  email: string;
  state: CreateAccountState;
  accountId?: string;
  failureReason?: string;
  requestedAt: number;
  completedAt?: number;
}

export interface DelegatedAdmin {
  orgId: string;
  accountId: string;
  servicePrincipal: string;
  registeredAt: number;
}

export interface IdentityStore {
  /** Rejects with AlreadyExistsError when the id is taken. */
  createAccount(account: Account): Promise<void>;
  getAccount(accountId: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;

  /** Rejects with AlreadyExistsError when the account has a user of that name. */
  createUser(user: User): Promise<void>;
  getUser(accountId: string, userName: string): Promise<User | undefined>;
  listUsers(accountId: string): Promise<User[]>;

  createAccessKey(key: StoredAccessKey): Promise<void>;
  findAccessKey(accessKeyId: string): Promise<StoredAccessKey | undefined>;
  listAccessKeys(accountId: string): Promise<StoredAccessKey[]>;
  listUserAccessKeys(accountId: string, userName: string): Promise<StoredAccessKey[]>;
  accessKeyLastUsed(accessKeyId: string): Promise<AccessKeyLastUsed | undefined>;
  /** Not a change of identity state (no record of its own): bookkeeping after an authenticated call. */
  noteAccessKeyUsed(accessKeyId: string, used: AccessKeyLastUsed): Promise<void>;

  getRole(accountId: string, roleName: string): Promise<Role | undefined>;
  listRoles(accountId: string): Promise<Role[]>;

  getGroup(accountId: string, groupName: string): Promise<Group | undefined>;
  listGroups(accountId: string): Promise<Group[]>;
  listGroupMembers(accountId: string, groupName: string): Promise<User[]>;
  listGroupsOfUser(accountId: string, userName: string): Promise<Group[]>;

  getInlinePolicy(principal: PrincipalRef, policyName: string): Promise<InlinePolicy | undefined>;
  listInlinePolicies(principal: PrincipalRef): Promise<InlinePolicy[]>;
  /** Bootstrap and tests: attaches or replaces an inline policy of a user. */
  putInlinePolicy(policy: InlinePolicy): Promise<void>;

  getManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined>;
  listManagedPolicies(accountId: string): Promise<ManagedPolicy[]>;
  getPolicyVersion(policyArn: string, versionId: string): Promise<PolicyVersion | undefined>;
  listPolicyVersions(policyArn: string): Promise<PolicyVersion[]>;

  /** ARNs of the managed policies (customer or AWS managed) attached to a principal. */
  listAttachedPolicyArns(principal: PrincipalRef): Promise<string[]>;
  /** Who a managed policy is attached to (in the policy's account, or any for AWS managed ones). */
  listPolicyAttachments(policyArn: string, accountId: string): Promise<PrincipalRef[]>;
  /** Bootstrap and tests: attaches a managed policy. */
  attachPolicy(principal: PrincipalRef, policyArn: string): Promise<void>;

  findSession(accessKeyId: string): Promise<StoredSession | undefined>;
  /**
   * Housekeeping, not an API effect (no record): deletes sessions that expired before `beforeMs`.
   * Returns how many were deleted.
   */
  deleteSessionsExpiredBefore(beforeMs: number): Promise<number>;

  getOrganization(orgId: string): Promise<Organization | undefined>;
  /** The organization an account belongs to (as management account or member). */
  organizationOfAccount(accountId: string): Promise<Organization | undefined>;
  getOrganizationAccount(accountId: string): Promise<OrganizationAccount | undefined>;
  listOrganizationAccounts(orgId: string): Promise<OrganizationAccount[]>;
  getCreateAccountRequest(requestId: string): Promise<CreateAccountRequest | undefined>;
  listCreateAccountRequests(orgId: string): Promise<CreateAccountRequest[]>;
  listDelegatedAdmins(orgId: string): Promise<DelegatedAdmin[]>;
}

export class AlreadyExistsError extends Error {
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/** ARN of an AWS managed policy (OpenTrail's ready-made policies are named like AWS's). */
export function awsManagedPolicyArn(policyName: string): string {
  return `arn:aws:iam::aws:policy/${policyName}`;
}
