/**
 * The small tools every policy parser here shares: the error that carries a user-facing message
 * back to the parser's entry point, and checks of JSON values that never read through to
 * Object.prototype.
 */

/**
 * Raised while parsing only, to unwind to the entry point (parsePolicy, parseTrustPolicy) with a
 * message for the user. The IAM API puts it after its own prefix, so it is one short sentence.
 */
export class PolicyError extends Error {}

/** The user-facing message of a parse failure. */
export function failureMessage(error: unknown): string {
  if (error instanceof PolicyError) return error.message;
  // Nothing else is expected to throw; if something does, a policy we failed to understand must
  // still be rejected rather than crash the caller.
  return 'Policy document could not be parsed';
}

export type JsonObject = Record<string, unknown>;

/** Own properties only, so names like "constructor" never read through to Object.prototype. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Validates a "string or array of strings" element and copies it, keeping the author's form. */
export function stringOrList(value: unknown, what: string): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return [...value];
  }
  throw new PolicyError(`${what} must be a string or a non-empty array of strings`);
}

export function checkKnownElements(object: JsonObject, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new PolicyError(`${prefix} "${key}"; allowed elements are ${allowed.join(', ')}`);
    }
  }
}

export function asArray<T>(value: T | T[]): readonly T[] {
  return Array.isArray(value) ? value : [value];
}
