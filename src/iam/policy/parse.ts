/**
 * Parsing and validation of policy documents as users attach them. Validation is strict on
 * purpose: anything OpenTrail cannot evaluate exactly as IAM would (conditions, principals,
 * policy variables, unknown elements) is rejected, because quietly ignoring part of a policy
 * can grant more than its author meant, for instance by dropping the condition of a Deny.
 */
import { findDuplicateKey } from '../../core/json-text.js';
import { isObject } from '../../core/is-object.js';
import type { ParseResult, PolicyDocument, PolicyStatement } from './types.js';

/**
 * Largest policy accepted, in characters not counting whitespace: IAM's limit for customer
 * managed policies, which likewise ignores whitespace.
 */
export const POLICY_MAX_CHARACTERS = 6144;

/**
 * Hard cap on the raw text, whitespace included (IAM's PolicyDocument parameter maximum), so
 * that a document padded with whitespace cannot make parsing arbitrarily expensive.
 */
export const POLICY_MAX_RAW_CHARACTERS = 131_072;

/** The message for any statement with a `Condition` element. */
export const CONDITION_NOT_SUPPORTED = 'Condition is not supported by OpenTrail policies yet';

const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL_ELEMENTS: readonly string[] = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS: readonly string[] = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource'];
const SID = /^[A-Za-z0-9]*$/;
// `*`, or one service prefix and one action name separated by a single colon, no whitespace.
const ACTION = /^(?:\*|[^\s:]+:[^\s:]+)$/;

/** Raised inside this module only, to unwind to {@link parsePolicy} with a user-facing message. */
class PolicyError extends Error {}

type JsonObject = Record<string, unknown>;

/**
 * Parses and validates a policy JSON text (as a user attaches it). Never throws: every problem,
 * whatever the input, comes back as `{ ok: false, message }` with a message meant for the user.
 */
export function parsePolicy(text: string): ParseResult {
  try {
    return { ok: true, policy: parseOrThrow(text) };
  } catch (error) {
    if (error instanceof PolicyError) return { ok: false, message: error.message };
    // Nothing else is expected to throw; if something does, a policy we failed to understand must
    // still be rejected rather than crash the caller.
    return { ok: false, message: 'Policy document could not be parsed' };
  }
}

function parseOrThrow(text: unknown): PolicyDocument {
  // Callers in plain JavaScript (or `as` casts) may hand over anything.
  if (typeof text !== 'string') throw new PolicyError('Policy document must be a JSON text (a string)');
  checkSize(text);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw new PolicyError(`Policy document is not valid JSON${reason}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new PolicyError(`Policy document has the key "${duplicate}" more than once in the same object`);
  }

  if (!isObject(json)) throw new PolicyError('Policy document must be a JSON object');
  checkKnownElements(json, TOP_LEVEL_ELEMENTS, 'Unknown policy element');

  const document: PolicyDocument = { Statement: [] };
  const version = own(json, 'Version');
  if (version !== undefined) {
    if (typeof version !== 'string' || !VERSIONS.includes(version)) {
      throw new PolicyError('Version must be "2012-10-17" or "2008-10-17"');
    }
    document.Version = version as '2012-10-17' | '2008-10-17';
  }
  const id = own(json, 'Id');
  if (id !== undefined) {
    if (typeof id !== 'string') throw new PolicyError('Id must be a string');
    document.Id = id;
  }

  const statements = own(json, 'Statement');
  if (statements === undefined) throw new PolicyError('Policy document must contain a Statement');
  if (!Array.isArray(statements) && !isObject(statements)) {
    throw new PolicyError('Statement must be a statement object or an array of them');
  }
  // IAM accepts a single statement object in place of a one-element array.
  const list: unknown[] = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw new PolicyError('Statement must contain at least one statement');

  // Policy variables only exist from version 2012-10-17 on; before that "${" is literal text.
  const variablesActive = document.Version === '2012-10-17';
  const sids = new Set<string>();
  list.forEach((raw, index) => {
    const statement = parseStatement(raw, `Statement[${index}]`, variablesActive);
    if (statement.Sid !== undefined && statement.Sid !== '') {
      if (sids.has(statement.Sid)) {
        throw new PolicyError(`Statement[${index}]: Sid "${statement.Sid}" is used twice; Sids must be unique within a policy`);
      }
      sids.add(statement.Sid);
    }
    document.Statement.push(statement);
  });
  return document;
}

function checkSize(text: string): void {
  if (text.length > POLICY_MAX_RAW_CHARACTERS) {
    throw new PolicyError(
      `Policy document is too large: ${text.length} characters; the limit is ${POLICY_MAX_RAW_CHARACTERS} characters including whitespace`,
    );
  }
  let counted = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // JSON's four whitespace characters: space, tab, line feed, carriage return.
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) counted += 1;
  }
  if (counted > POLICY_MAX_CHARACTERS) {
    throw new PolicyError(
      `Policy document is too large: ${counted} characters; the limit is ${POLICY_MAX_CHARACTERS} characters (not counting whitespace), as for IAM managed policies`,
    );
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
  // The exact wording is part of the contract: clients may show it as is.
  if (Object.hasOwn(raw, 'Condition')) throw new PolicyError(CONDITION_NOT_SUPPORTED);
  checkKnownElements(raw, STATEMENT_ELEMENTS, `${where}: unknown element`);

  const effect = own(raw, 'Effect');
  if (effect === undefined) throw new PolicyError(`${where}: Effect is required ("Allow" or "Deny")`);
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError(`${where}: Effect must be "Allow" or "Deny"`);
  const statement: PolicyStatement = { Effect: effect };

  const sid = own(raw, 'Sid');
  if (sid !== undefined) {
    if (typeof sid !== 'string' || !SID.test(sid)) {
      throw new PolicyError(`${where}: Sid must be a string of ASCII letters and digits`);
    }
    statement.Sid = sid;
  }

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
    if (variablesActive && resource.includes('${')) {
      // Evaluating "${aws:username}" literally would make a Deny on it match nothing.
      throw new PolicyError(`${where}: policy variables ("\${...}") are not supported by OpenTrail policies yet`);
    }
  }
  statement[resourceKey] = resources;
  return statement;
}

/** Reads whichever of a positive/negative element pair is present, requiring exactly one. */
function pickOne<K extends 'Action' | 'Resource'>(
  raw: JsonObject,
  positive: K,
  negative: `Not${K}`,
  where: string,
): [K | `Not${K}`, string | string[]] {
  const hasPositive = Object.hasOwn(raw, positive);
  const hasNegative = Object.hasOwn(raw, negative);
  if (hasPositive && hasNegative) throw new PolicyError(`${where}: use either ${positive} or ${negative}, not both`);
  if (!hasPositive && !hasNegative) throw new PolicyError(`${where}: ${positive} or ${negative} is required`);
  const key = hasPositive ? positive : negative;
  return [key, stringOrList(own(raw, key), `${where}: ${key}`)];
}

/** Validates a "string or array of strings" element and copies it, keeping the author's form. */
function stringOrList(value: unknown, what: string): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return [...value];
  }
  throw new PolicyError(`${what} must be a string or a non-empty array of strings`);
}

function checkKnownElements(object: JsonObject, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new PolicyError(`${prefix} "${key}"; allowed elements are ${allowed.join(', ')}`);
    }
  }
}

/** Own properties only, so names like "constructor" never read through to Object.prototype. */
function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function asArray(value: string | string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}
