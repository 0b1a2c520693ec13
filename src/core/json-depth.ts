/**
 * Nesting depth of parsed JSON. Records are serialised and hashed recursively, so a value
 * nested thousands of levels deep (which JSON.parse accepts) would overflow the stack long
 * after the call took effect; inputs are held to a documented bound when they are decoded.
 */

/** How deeply a request body (and a custom event's eventData) may nest objects and arrays. */
export const MAX_JSON_DEPTH = 64;

/** Whether the value nests objects/arrays deeper than `limit` (a scalar has depth 0). Iterative: safe on any depth. */
export function exceedsJsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const member of Object.values(current as Record<string, unknown>)) stack.push({ value: member, depth: depth + 1 });
  }
  return false;
}
