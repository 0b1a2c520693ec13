/**
 * IAM's evaluation logic for identity-based policies, reduced to what OpenTrail supports (no
 * conditions, boundaries, SCPs or session policies): an explicit Deny in any statement of any
 * policy wins; otherwise an Allow allows; otherwise the request is implicitly denied.
 */
import { globMatch } from './glob.js';
import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement } from './types.js';

/**
 * IAM evaluation: an explicit Deny in any policy wins, else any Allow allows, else implicit deny.
 * Action names compare case-insensitively, resources case-sensitively, both with `*`/`?`
 * wildcards. The result does not depend on the order of policies or statements.
 */
export function evaluate(request: AuthorizationRequest, policies: readonly PolicyDocument[]): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.Statement) {
      if (!applies(statement, request)) continue;
      // No need to look further: nothing can override an explicit deny.
      if (statement.Effect === 'Deny') return 'ExplicitDeny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** Whether a statement covers the request: both its action and its resource part match. */
export function applies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  return (
    elementMatches(statement.Action, statement.NotAction, (pattern) => matchesAction(pattern, request.action)) &&
    elementMatches(statement.Resource, statement.NotResource, (pattern) => matchesResource(pattern, request.resource))
  );
}

/** IAM action matching: wildcards, and case does not matter (`cloudtrail:lookupevents` is fine). */
export function matchesAction(pattern: string, action: string): boolean {
  return globMatch(pattern, action, { caseInsensitive: true });
}

/** IAM resource matching: wildcards that may span `:` and `/`, and case matters. */
export function matchesResource(pattern: string, resource: string): boolean {
  return globMatch(pattern, resource);
}

/**
 * A positive element (Action/Resource) matches when any of its patterns does; a negative one
 * (NotAction/NotResource) matches when none of its patterns does, i.e. the statement applies to
 * everything not listed. A statement with neither (only constructible by bypassing
 * parsePolicy) applies to nothing.
 */
function elementMatches(
  positive: string | string[] | undefined,
  negative: string | string[] | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (positive !== undefined) return toList(positive).some(matches);
  if (negative !== undefined) return !toList(negative).some(matches);
  return false;
}

function toList(value: string | string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}
