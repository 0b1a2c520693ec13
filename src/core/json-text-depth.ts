/**
 * How deeply a JSON text nests: the most objects and arrays open at once (`{}` is 1, `{"a":[]}`
 * is 2, a scalar 0). A scan of the text, iterative and outside strings, so it answers before
 * anything parses the text and cannot itself run out of stack. It does not validate the JSON.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
    i++;
  }
  return deepest;
}
