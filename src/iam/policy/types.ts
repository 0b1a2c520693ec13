/**
 * The shapes of IAM-style identity policies as OpenTrail stores and evaluates them, and of the
 * request they are evaluated for. They mirror
 * the JSON a user attaches, so a document can be written out again without translation.
 */

/** One statement of an identity policy: an effect on some actions over some resources. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Exactly one of `Action` / `NotAction` is present in a parsed statement. */
  Action?: string | string[];
  NotAction?: string | string[];
  /** Exactly one of `Resource` / `NotResource` is present in a parsed statement. */
  Resource?: string | string[];
  NotResource?: string | string[];
  /** When the statement applies, beyond its actions and resources; see {@link ConditionBlock}. */
  Condition?: ConditionBlock;
}

/** One value of a condition as the author wrote it: IAM accepts `true` and `"true"`, `5` and `"5"`. */
export type ConditionValue = string | number | boolean;

/**
 * A `Condition` element: operator (e.g. `StringEquals`, `ForAnyValue:StringLike`,
 * `DateLessThanIfExists`) → condition key (e.g. `aws:SourceIp`) → one value or several. Kept in
 * the author's form; parsing checks it and evaluation compiles it.
 */
export type ConditionBlock = Record<string, Record<string, ConditionValue | ConditionValue[]>>;

/** A policy in normalized form: `Statement` is always an array, even if the JSON held one object. */
export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: PolicyStatement[];
}

/** The outcome of {@link parsePolicy}: the normalized document, or why it was rejected. */
export type ParseResult = { ok: true; policy: PolicyDocument } | { ok: false; message: string };

/** What a caller asks to do. */
export interface AuthorizationRequest {
  /** `service:Operation`, e.g. `cloudtrail:LookupEvents` or `cloudtrail-data:PutAuditEvents`. */
  action: string;
  /** The ARN acted on, or `*` for operations without resource-level permissions. */
  resource: string;
  /**
   * What conditions and policy variables are tested against. Without one, every condition key
   * and variable is absent, exactly as if the request carried none of them.
   */
  context?: RequestContext;
}

/** The kind of principal behind a request, the value of `aws:PrincipalType`. */
export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous';

/**
 * The facts of a request that condition keys read. A property left undefined is a key absent from
 * the request: `mfaPresent` is undefined, not false, for long-term access keys, as in IAM.
 */
export interface RequestContext {
  /** `aws:CurrentTime` (ISO 8601) and `aws:EpochTime` (seconds), from the injected clock. */
  currentTimeMs: number;
  /** `aws:SourceIp`: the caller's IPv4 or IPv6 address. */
  sourceIp?: string | undefined;
  /** `aws:MultiFactorAuthPresent`. */
  mfaPresent?: boolean | undefined;
  /** `aws:MultiFactorAuthAge`, in seconds. */
  mfaAgeSeconds?: number | undefined;
  /** `aws:PrincipalArn`: a user's ARN, or a role's ARN (not the session's) for an assumed role. */
  principalArn?: string | undefined;
  /** `aws:PrincipalAccount`. */
  principalAccount?: string | undefined;
  /** `aws:PrincipalType`. */
  principalType?: PrincipalType | undefined;
  /** `aws:userid`: a user's unique id, or `<role id>:<session name>` for an assumed role. */
  userId?: string | undefined;
  /** `aws:username`: present for IAM users only. */
  userName?: string | undefined;
  /** `aws:RequestedRegion`. */
  requestedRegion?: string | undefined;
  /** `aws:SecureTransport`: whether the request came over TLS. */
  secureTransport?: boolean | undefined;
  /** `sts:ExternalId`, in AssumeRole requests. */
  externalId?: string | undefined;
  /** `sts:RoleSessionName`, in AssumeRole requests. */
  roleSessionName?: string | undefined;
}

/**
 * The result of evaluation. The two denials are distinct because CloudTrail's AccessDenied
 * message says whether an explicit deny was involved.
 */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
