/**
 * The parts of parsing that identity and trust policies share: the size limits, strict JSON
 * (no repeated keys), the top-level elements, the statement list and unique Sids. What a
 * statement may contain is the caller's business (parse.ts, trust-parse.ts).
 */
import { findDuplicateKey } from '../../core/json-text.js';
import { isObject } from '../../core/is-object.js';
import { checkKnownElements, own, PolicyError } from './parse-support.js';

/**
 * Hard cap on the raw text, whitespace included (IAM's PolicyDocument parameter maximum), so
 * that a document padded with whitespace cannot make parsing arbitrarily expensive.
 */
export const POLICY_MAX_RAW_CHARACTERS = 131_072;

const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL_ELEMENTS: readonly string[] = ['Version', 'Id', 'Statement'];

/** The largest document a kind of policy accepts, in characters not counting whitespace. */
export interface SizeLimit {
  maxCharacters: number;
  /** Ends the too-large message, e.g. "as for IAM managed policies". */
  basis: string;
}

/** Parses one statement; `variablesActive` says whether `${...}` is a policy variable. */
export type StatementParser<S> = (raw: unknown, where: string, variablesActive: boolean) => S;

export interface ParsedDocument<S> {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: S[];
}

/** Parses a policy text whose statements `parseStatement` understands; throws PolicyError. */
export function parseDocument<S extends { Sid?: string }>(
  text: unknown,
  limit: SizeLimit,
  parseStatement: StatementParser<S>,
): ParsedDocument<S> {
  // Callers in plain JavaScript (or `as` casts) may hand over anything.
  if (typeof text !== 'string') throw new PolicyError('Policy document must be a JSON text (a string)');
  checkSize(text, limit);

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

  const document: ParsedDocument<S> = { Statement: [] };
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

  const variablesActive = policyVariablesActive(document.Version);
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

/** Policy variables only exist from version 2012-10-17 on; before that "${" is literal text. */
export function policyVariablesActive(version: string | undefined): boolean {
  return version === '2012-10-17';
}

function checkSize(text: string, limit: SizeLimit): void {
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
  if (counted > limit.maxCharacters) {
    throw new PolicyError(
      `Policy document is too large: ${counted} characters; the limit is ${limit.maxCharacters} characters (not counting whitespace), ${limit.basis}`,
    );
  }
}
