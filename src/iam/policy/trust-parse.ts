/**
 * Parsing role trust policies, with the same strictness as identity policies (parse.ts): every
 * statement names its principals (Principal or NotPrincipal), acts only on STS actions, and has
 * no Resource, because the role the policy is attached to is the resource.
 */
import { isObject } from '../../core/is-object.js';
import { parseCondition } from './condition-parse.js';
import { parseDocument } from './document-parse.js';
import { asArray, checkKnownElements, failureMessage, own, PolicyError } from './parse-support.js';
import { parsePrincipal } from './principal.js';
import { parseCommonElements, pickOne, prefixed } from './statement-parse.js';
import type { TrustParseResult, TrustPolicyDocument, TrustPolicyStatement } from './trust-types.js';

/**
 * Largest trust policy accepted, in characters not counting whitespace: the most IAM allows for
 * a role's trust policy (its default quota is 2,048, raised on request up to this).
 */
export const TRUST_POLICY_MAX_CHARACTERS = 4096;

const STATEMENT_ELEMENTS: readonly string[] = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Condition'];
// `*`, or `sts:` and an action name (wildcards allowed), in any letter case, as action matching is.
const STS_ACTION = /^(?:\*|sts:[^\s:]+)$/i;

/** Parses and validates a trust policy JSON text. Never throws. */
export function parseTrustPolicy(text: string): TrustParseResult {
  try {
    const policy: TrustPolicyDocument = parseDocument(
      text,
      { maxCharacters: TRUST_POLICY_MAX_CHARACTERS, basis: 'the most IAM allows for role trust policies' },
      parseTrustStatement,
    );
    return { ok: true, policy };
  } catch (error) {
    return { ok: false, message: failureMessage(error) };
  }
}

function parseTrustStatement(raw: unknown, where: string, variablesActive: boolean): TrustPolicyStatement {
  if (!isObject(raw)) throw new PolicyError(`${where} must be a JSON object`);
  for (const element of ['Resource', 'NotResource']) {
    if (Object.hasOwn(raw, element)) {
      throw new PolicyError(`${where}: ${element} is not allowed in a trust policy: the role it is attached to is the resource`);
    }
  }
  checkKnownElements(raw, STATEMENT_ELEMENTS, `${where}: unknown element`);
  const statement: TrustPolicyStatement = parseCommonElements(raw, where);

  const hasPrincipal = Object.hasOwn(raw, 'Principal');
  const hasNotPrincipal = Object.hasOwn(raw, 'NotPrincipal');
  if (hasPrincipal === hasNotPrincipal) {
    throw new PolicyError(`${where}: a trust policy statement needs exactly one of Principal or NotPrincipal`);
  }
  if (hasPrincipal) {
    statement.Principal = prefixed(where, () => parsePrincipal(own(raw, 'Principal'), 'Principal'));
  } else {
    if (statement.Effect === 'Allow') {
      throw new PolicyError(`${where}: NotPrincipal with "Allow" would trust every principal it does not list; use Principal`);
    }
    statement.NotPrincipal = prefixed(where, () => parsePrincipal(own(raw, 'NotPrincipal'), 'NotPrincipal'));
  }

  const [actionKey, actions] = pickOne(raw, 'Action', 'NotAction', where);
  for (const action of asArray(actions)) {
    if (!STS_ACTION.test(action)) {
      throw new PolicyError(`${where}: action "${action}" is not an STS action; a trust policy allows actions such as "sts:AssumeRole"`);
    }
  }
  statement[actionKey] = actions;

  if (Object.hasOwn(raw, 'Condition')) {
    statement.Condition = prefixed(where, () => parseCondition(own(raw, 'Condition'), variablesActive).block);
  }
  return statement;
}
