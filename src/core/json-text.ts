/**
 * Questions about a JSON *text* that the parsed value cannot answer: where a value's exact
 * bytes are (records are kept as they arrived: JSON.stringify would turn `0.0` into `0`), and
 * whether an object repeats a key (JSON.parse silently keeps the last one). One scanner serves
 * both: jsonc-parser's visitor, which is iterative, so deep nesting cannot overflow the stack.
 * Callers validate the text with JSON.parse first; these functions do not.
 */
import { visit } from 'jsonc-parser';

const STRICT = { disallowComments: true, allowTrailingComma: false };

/**
 * The exact text of each element of the top-level object's array member `member` (its last
 * occurrence, as JSON.parse reads it); undefined when there is no such array.
 */
export function memberArrayElements(text: string, member: string): string[] | undefined {
  let depth = 0;
  let nextIsMember = false;
  let inArray = false;
  let elementStart = -1;
  let elements: string[] | undefined;
  let current: string[] = [];
  const begin = (offset: number): void => {
    depth++;
    if (inArray && depth === 3) elementStart = offset;
    if (nextIsMember && depth === 2) {
      inArray = true;
      current = [];
    }
    nextIsMember = false;
  };
  const end = (offset: number, length: number): void => {
    if (inArray && depth === 3) current.push(text.slice(elementStart, offset + length));
    if (inArray && depth === 2) {
      inArray = false;
      elements = current;
    }
    depth--;
  };
  visit(
    text,
    {
      onObjectProperty: (property) => {
        if (depth === 1) nextIsMember = property === member;
      },
      onObjectBegin: (offset) => begin(offset),
      onArrayBegin: (offset) => {
        // An array value of the member itself (not an object) starts the collection.
        begin(offset);
      },
      onObjectEnd: (offset, length) => end(offset, length),
      onArrayEnd: (offset, length) => end(offset, length),
      onLiteralValue: (_value, offset, length) => {
        if (inArray && depth === 2) current.push(text.slice(offset, offset + length));
        nextIsMember = false;
      },
    },
    STRICT,
  );
  return elements;
}

/** The first key repeated within one object of `text`, or undefined. Keys compare decoded (`"\u0045"` is `"E"`). */
export function findDuplicateKey(text: string): string | undefined {
  // One frame per open container: the keys seen so far for an object, null for an array.
  const frames: (Set<string> | null)[] = [];
  let duplicate: string | undefined;
  visit(
    text,
    {
      onObjectBegin: () => void frames.push(new Set()),
      onArrayBegin: () => void frames.push(null),
      onObjectEnd: () => void frames.pop(),
      onArrayEnd: () => void frames.pop(),
      onObjectProperty: (property) => {
        const keys = frames.at(-1);
        if (duplicate !== undefined || !keys) return;
        if (keys.has(property)) duplicate = property;
        else keys.add(property);
      },
    },
    STRICT,
  );
  return duplicate;
}
