/**
 * The shapes of role trust policies (the resource-based policy on a role that says who may
 * assume it) and of the request evaluateTrust decides. Like identity policies, they mirror the
 * JSON the user wrote.
 */
import type { ConditionBlock, PrincipalType, RequestContext } from './types.js';

/** A Principal / NotPrincipal element: everyone, or AWS principals and service principals. */
export type PrincipalElement = '*' | { AWS?: string | string[]; Service?: string | string[] };

/** One statement of a trust policy: there is no Resource, the role itself is the resource. */
export interface TrustPolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Exactly one of `Principal` / `NotPrincipal` is present in a parsed statement. */
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  /** Exactly one of `Action` / `NotAction` is present; only STS actions (or `*`). */
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: ConditionBlock;
}

export interface TrustPolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: TrustPolicyStatement[];
}

/** The outcome of parseTrustPolicy: the normalized document, or why it was rejected. */
export type TrustParseResult = { ok: true; policy: TrustPolicyDocument } | { ok: false; message: string };

/**
 * Who asks to assume the role. For a caller that is itself an assumed-role session, `arn` is the
 * role's ARN (`arn:aws:iam::<account>:role/<name>`), not the session's, as aws:PrincipalArn is.
 */
export type TrustPrincipal =
  | { type: Exclude<PrincipalType, 'Anonymous'>; accountId: string; arn: string }
  | { type: 'Service'; service: string };

export interface TrustRequest {
  principal: TrustPrincipal;
  /** `sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`, ... */
  action: string;
  /**
   * The request's condition keys (sts:ExternalId among them). The principal's ARN, account and
   * type fill in aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType where the context
   * leaves them out. Without a context every key is absent.
   */
  context?: RequestContext;
}
