/**
 * Splits a CloudTrail log file (`{"Records":[...]}`) into the exact text of each record.
 * Records are kept as the bytes they arrived as, not re-serialised: JSON.stringify would turn
 * `"bytesTransferredIn": 0.0` into `0`, and an audit trail must hand back what it was given.
 */

/** Thrown when the text is not a log file. */
export class LogFileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFileFormatError';
  }
}

/** Index just past the JSON string that starts at `start` (a quote). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 2;
    else if (ch === 0x22 /* " */) return i + 1;
    else i++;
  }
  throw new LogFileFormatError('unterminated string');
}

/** Index just past the JSON value (object, array, string or scalar) starting at `start`. */
function skipValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return skipString(text, start);
  if (first !== '{' && first !== '[') {
    let i = start;
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = skipString(text, i);
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new LogFileFormatError('unexpected end of input');
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The raw text of every element of the top-level "Records" array. */
export function splitRecords(text: string): string[] {
  // Validate the whole document first; the scanner below can then assume well-formed JSON.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LogFileFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { Records?: unknown }).Records)) {
    throw new LogFileFormatError('expected an object with a "Records" array');
  }
  let i = skipSpace(text, 0) + 1; // past '{'
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] === '}') throw new LogFileFormatError('no "Records" member');
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd) + 1; // past ':'
    i = skipSpace(text, i);
    if (key !== 'Records') {
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ',') i++;
      continue;
    }
    const records: string[] = [];
    i = skipSpace(text, i + 1); // past '['
    while (text[i] !== ']') {
      const end = skipValue(text, i);
      records.push(text.slice(i, end));
      i = skipSpace(text, end);
      if (text[i] === ',') i = skipSpace(text, i + 1);
    }
    return records;
  }
}
