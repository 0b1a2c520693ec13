/**
 * What one pass over JSON text tells without building anything: how deeply it nests and how many
 * object members it writes. For text JSON.parse has accepted, a member count above the parsed
 * value's means a key repeated in one object (JSON.parse keeps only the last), so the exact but
 * slower findDuplicateKey (json-text.ts) runs only when there is a duplicate to name.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export interface JsonTextShape {
  /** Deepest nesting of objects and arrays (a scalar 0, `{}` 1), as exceedsJsonDepth counts. */
  depth: number;
  /** Object members written, repeated keys included: one colon outside strings each. */
  members: number;
}

/** The shape of `text`, which must be valid JSON (JSON.parse accepted it). */
export function jsonTextShape(text: string): JsonTextShape {
  let depth = 0;
  let deepest = 0;
  let members = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = closingQuote(text, i);
    else if (c === COLON) members++;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > deepest) deepest = depth;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return { depth: deepest, members };
}

/** The index of the quote that closes the string opened at `open`: the next one not escaped. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
}

/** Members of every object in a parsed value. Recursive: call it on values of bounded depth. */
export function parsedMembers(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const element of value) count += parsedMembers(element);
    return count;
  }
  for (const key in value) {
    count += 1 + parsedMembers((value as Record<string, unknown>)[key]);
  }
  return count;
}
