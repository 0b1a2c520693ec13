/**
 * The shapes of IAM-style identity policies as OpenTrail stores and evaluates them. They mirror
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
}

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
}

/**
 * The result of evaluation. The two denials are distinct because CloudTrail's AccessDenied
 * message says whether an explicit deny was involved.
 */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
