/**
 * Deciding whether a principal may assume a role under the role's trust policy: a statement
 * applies when its principal element, its action and its Condition all match; an explicit Deny
 * wins, otherwise an Allow allows, otherwise the request is implicitly denied. This is only the
 * role's side: for a caller of another account, STS must also find sts:AssumeRole allowed by the
 * caller's own identity policies.
 */
import { policyVariablesActive } from './document-parse.js';
import { matchesAction } from './evaluate.js';
import { principalMatches } from './principal.js';
import { statementConditionHolds } from './statement-condition.js';
import type { PrincipalElement, TrustPolicyDocument, TrustPolicyStatement, TrustPrincipal, TrustRequest } from './trust-types.js';
import type { Decision, RequestContext } from './types.js';

/** The trust policy's decision for `request`; independent of the order of statements. */
export function evaluateTrust(request: TrustRequest, policy: TrustPolicyDocument): Decision {
  const context = withPrincipalKeys(request.context, request.principal);
  const variablesActive = policyVariablesActive(policy.Version);
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!trustStatementApplies(statement, request, context, variablesActive)) continue;
    if (statement.Effect === 'Deny') return 'ExplicitDeny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

function trustStatementApplies(
  statement: TrustPolicyStatement,
  request: TrustRequest,
  context: RequestContext | undefined,
  variablesActive: boolean,
): boolean {
  return (
    principalElementMatches(statement.Principal, statement.NotPrincipal, request.principal) &&
    actionElementMatches(statement.Action, statement.NotAction, request.action) &&
    statementConditionHolds(statement.Condition, statement.Effect, context, variablesActive)
  );
}

/** A statement with neither element (only hand-built) applies to nobody. */
function principalElementMatches(
  positive: PrincipalElement | undefined,
  negative: PrincipalElement | undefined,
  principal: TrustPrincipal,
): boolean {
  if (positive !== undefined) return principalMatches(positive, principal);
  if (negative !== undefined) return !principalMatches(negative, principal);
  return false;
}

function actionElementMatches(positive: string | string[] | undefined, negative: string | string[] | undefined, action: string): boolean {
  const list = (value: string | string[]): readonly string[] => (typeof value === 'string' ? [value] : value);
  if (positive !== undefined) return list(positive).some((pattern) => matchesAction(pattern, action));
  if (negative !== undefined) return !list(negative).some((pattern) => matchesAction(pattern, action));
  return false;
}

/** The principal's own facts, where the caller's context does not give them. */
function withPrincipalKeys(context: RequestContext | undefined, principal: TrustPrincipal): RequestContext | undefined {
  if (context === undefined || principal.type === 'Service') return context;
  return {
    ...context,
    principalArn: context.principalArn ?? principal.arn,
    principalAccount: context.principalAccount ?? principal.accountId,
    principalType: context.principalType ?? principal.type,
  };
}
