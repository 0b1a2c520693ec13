/**
 * IAM's evaluation logic for identity-based policies, reduced to what OpenTrail supports (no
 * permissions boundaries, SCPs or session policies): a statement applies when its action, its
 * resource and its Condition all match the request; an explicit Deny in any statement of any
 * policy wins; otherwise an Allow allows; otherwise the request is implicitly denied. Conditions
 * and policy variables read the request's context (see condition-evaluate.ts); without one,
 * every key is absent.
 */
import { policyVariablesActive } from './document-parse.js';
import { globMatch, matchGlobPattern } from './glob.js';
import { parseTemplate, resolveGlob } from './policy-variables.js';
import { statementConditionHolds } from './statement-condition.js';
import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement, RequestContext } from './types.js';

/** How a statement is read; what the document around it decides. */
export interface StatementOptions {
  /** Whether `${...}` is a policy variable: documents of version 2012-10-17 only. Default true. */
  variablesActive?: boolean;
}

/**
 * IAM evaluation: an explicit Deny in any policy wins, else any Allow allows, else implicit deny.
 * Action names compare case-insensitively, resources case-sensitively, both with `*`/`?`
 * wildcards. The result does not depend on the order of policies or statements.
 */
export function evaluate(request: AuthorizationRequest, policies: readonly PolicyDocument[]): Decision {
  let allowed = false;
  for (const policy of policies) {
    const options = { variablesActive: policyVariablesActive(policy.Version) };
    for (const statement of policy.Statement) {
      if (!applies(statement, request, options)) continue;
      // No need to look further: nothing can override an explicit deny.
      if (statement.Effect === 'Deny') return 'ExplicitDeny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** Whether a statement covers the request: its action, its resource and its condition match. */
export function applies(statement: PolicyStatement, request: AuthorizationRequest, options: StatementOptions = {}): boolean {
  const variablesActive = options.variablesActive ?? true;
  return (
    elementMatches(statement.Action, statement.NotAction, (pattern) => matchesAction(pattern, request.action)) &&
    resourceElementMatches(statement, request, variablesActive) &&
    statementConditionHolds(statement.Condition, statement.Effect, request.context, variablesActive)
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
 * The Resource / NotResource element, with policy variables replaced by the request's values. A
 * variable absent from the request makes its pattern match nothing. An element whose variables
 * do not parse (only in hand-built documents: parsePolicy refuses them) fails closed, as an
 * unparsable Condition does: the statement applies if it is a Deny and not if it is an Allow.
 */
function resourceElementMatches(statement: PolicyStatement, request: AuthorizationRequest, variablesActive: boolean): boolean {
  try {
    return elementMatches(statement.Resource, statement.NotResource, (pattern) =>
      resourcePatternMatches(pattern, request.resource, request.context, variablesActive),
    );
  } catch {
    return statement.Effect === 'Deny';
  }
}

/** Throws PolicyError for a variable that does not parse. */
function resourcePatternMatches(
  pattern: string,
  resource: string,
  context: RequestContext | undefined,
  variablesActive: boolean,
): boolean {
  if (!variablesActive || !pattern.includes('${')) return matchesResource(pattern, resource);
  const compiled = resolveGlob(parseTemplate(pattern, true), context);
  return compiled !== undefined && matchGlobPattern(compiled, resource);
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
