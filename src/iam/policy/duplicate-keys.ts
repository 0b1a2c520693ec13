/**
 * Detects an object key that appears twice in a JSON text. `JSON.parse` silently keeps the last
 * occurrence, so `{"Effect": "Deny", "Effect": "Allow"}` would be read as an Allow while a human
 * (or another parser) reads a Deny. A policy must mean one thing, so such documents are rejected.
 */

/**
 * Returns the first key that is repeated within one JSON object of `text`, or `undefined` if
 * none is. `text` must already be known to be valid JSON (call after `JSON.parse` succeeded):
 * the scan relies on that and does not validate. Iterative, so deep nesting cannot overflow.
 */
export function findDuplicateKey(text: string): string | undefined {
  // One frame per open container: the keys seen so far for an object, null for an array.
  const frames: (Set<string> | null)[] = [];
  // True where the next string token in the current object is a key rather than a value.
  let expectingKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = frames.at(-1);
      if (expectingKey && frame) {
        // Decode escapes so "\u0045ffect" and "Effect" are recognised as the same key.
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (frame.has(key)) return key;
        frame.add(key);
        expectingKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === '{') {
      frames.push(new Set());
      expectingKey = true;
    } else if (c === '[') {
      frames.push(null);
      expectingKey = false;
    } else if (c === '}' || c === ']') {
      frames.pop();
      expectingKey = false;
    } else if (c === ',') {
      expectingKey = frames.at(-1) instanceof Set;
    }
    i += 1;
  }
  return undefined;
}
