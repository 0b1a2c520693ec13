/**
 * Parsing and validation of identity policy documents as users attach them. Validation is strict
 * on purpose: anything OpenTrail cannot evaluate exactly as IAM would (an unknown condition
 * operator or key, an unknown policy variable, principals, unknown elements) is rejected, because
 * quietly ignoring part of a policy can grant more than its author meant, for instance by
 * dropping the condition of a Deny.
 */
import { isObject } from '../../core/is-object.js';
import { parseCondition } from './condition-parse.js';
import { parseDocument } from './document-parse.js';
import { asArray, checkKnownElements, failureMessage, own, PolicyError } from './parse-support.js';
import { parseTemplate } from './policy-variables.js';
import { parseCommonElements, pickOne, prefixed } from './statement-parse.js';
import type { ParseResult, PolicyDocument, PolicyStatement } from './types.js';

export { POLICY_MAX_RAW_CHARACTERS } from './document-parse.js';

/**
 * Largest policy accepted, in characters not counting whitespace: the largest IAM allows for
 * any identity policy (a role's inline policies; managed policies 6,144, users' inline 2,048),
 * which likewise ignores whitespace. The IAM API checks each kind's own quota first, and stored
 * documents of every kind must parse again when evaluated.
 */
export const POLICY_MAX_CHARACTERS = 10240;

/**
 * @deprecated Conditions are supported now; no parse result carries this message any more. Kept
 * so that code importing it still compiles.
 */
export const CONDITION_NOT_SUPPORTED = 'Condition is not supported by OpenTrail policies yet';

const STATEMENT_ELEMENTS: readonly string[] = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
// `*`, or one service prefix and one action name separated by a single colon, no whitespace.
const ACTION = /^(?:\*|[^\s:]+:[^\s:]+)$/;

/**
 * Parses and validates a policy JSON text (as a user attaches it). Never throws: every problem,
 * whatever the input, comes back as `{ ok: false, message }` with a message meant for the user.
 */
export function parsePolicy(text: string): ParseResult {
  try {
    const policy: PolicyDocument = parseDocument(
      text,
      { maxCharacters: POLICY_MAX_CHARACTERS, basis: "IAM's largest, for a role's inline policies" },
      parseStatement,
    );
    return { ok: true, policy };
  } catch (error) {
    return { ok: false, message: failureMessage(error) };
  }
}

function parseStatement(raw: unknown, where: string, variablesActive: boolean): PolicyStatement {
  if (!isObject(raw)) throw new PolicyError(`${where} must be a JSON object`);
  for (const element of ['Principal', 'NotPrincipal']) {
    if (Object.hasOwn(raw, element)) {
      throw new PolicyError(
        `${where}: ${element} is not allowed: OpenTrail policies are identity-based policies, attached to a user who is the principal`,
      );
    }
  }
  checkKnownElements(raw, STATEMENT_ELEMENTS, `${where}: unknown element`);
  const statement: PolicyStatement = parseCommonElements(raw, where);

  const [actionKey, actions] = pickOne(raw, 'Action', 'NotAction', where);
  for (const action of asArray(actions)) {
    if (!ACTION.test(action)) {
      throw new PolicyError(
        `${where}: action "${action}" must be "*" or "service:action", e.g. "cloudtrail:LookupEvents"`,
      );
    }
  }
  statement[actionKey] = actions;

  const [resourceKey, resources] = pickOne(raw, 'Resource', 'NotResource', where);
  for (const resource of asArray(resources)) {
    if (resource !== '*' && !(resource.startsWith('arn:') && resource.split(':').length >= 6)) {
      throw new PolicyError(
        `${where}: resource "${resource}" must be "*" or an ARN, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:channel/*"`,
      );
    }
    prefixed(where, () => parseTemplate(resource, variablesActive));
  }
  statement[resourceKey] = resources;

  if (Object.hasOwn(raw, 'Condition')) {
    statement.Condition = prefixed(where, () => parseCondition(own(raw, 'Condition'), variablesActive).block);
  }
  return statement;
}
