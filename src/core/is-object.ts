/** The one check for "a JSON object" (not null, not an array) that parsers of untrusted JSON share. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
