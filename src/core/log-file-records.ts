/**
 * Splits a CloudTrail log file (`{"Records":[...]}`) into the exact text of each record.
 * Records are kept as the bytes they arrived as, not re-serialised: JSON.stringify would turn
 * `"bytesTransferredIn": 0.0` into `0`, and an audit trail must hand back what it was given.
 */

import { memberArrayElements } from './json-text.js';

/** Thrown when the text is not a log file. */
export class LogFileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFileFormatError';
  }
}

/** The raw text of every element of the top-level "Records" array. */
export function splitRecords(text: string): string[] {
  // Validate the whole document first; the scanner can then assume well-formed JSON.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LogFileFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { Records?: unknown }).Records)) {
    throw new LogFileFormatError('expected an object with a "Records" array');
  }
  const records = memberArrayElements(text, 'Records');
  if (records === undefined) throw new LogFileFormatError('no "Records" array');
  return records;
}
