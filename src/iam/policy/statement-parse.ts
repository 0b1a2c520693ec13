/**
 * Statement elements that identity and trust policies read alike: Effect, Sid, the
 * Action/NotAction pair, and the place of a message inside the document.
 */
import { own, PolicyError, stringOrList } from './parse-support.js';
import type { JsonObject } from './parse-support.js';

const SID = /^[A-Za-z0-9]*$/;

/** Effect and Sid, which identity and trust statements read alike. */
export function parseCommonElements(raw: JsonObject, where: string): { Effect: 'Allow' | 'Deny'; Sid?: string } {
  const effect = own(raw, 'Effect');
  if (effect === undefined) throw new PolicyError(`${where}: Effect is required ("Allow" or "Deny")`);
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError(`${where}: Effect must be "Allow" or "Deny"`);
  const common: { Effect: 'Allow' | 'Deny'; Sid?: string } = { Effect: effect };
  const sid = own(raw, 'Sid');
  if (sid !== undefined) {
    if (typeof sid !== 'string' || !SID.test(sid)) {
      throw new PolicyError(`${where}: Sid must be a string of ASCII letters and digits`);
    }
    common.Sid = sid;
  }
  return common;
}

/** Reads whichever of a positive/negative element pair is present, requiring exactly one. */
export function pickOne<K extends 'Action' | 'Resource'>(
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

/** Puts the statement's place (`Statement[2]: `) in front of a nested parser's message. */
export function prefixed<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(`${where}: ${error.message}`);
    throw error;
  }
}

