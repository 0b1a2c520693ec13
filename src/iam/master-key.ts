/**
 * The master key's text form: base64 of 32 bytes, from OPENTRAIL_MASTER_KEY or
 * `<data-dir>/master.key`. Problems with it are the operator's to fix, so they are ConfigErrors
 * that say where the key came from and what is wrong, never a stack from deep in crypto.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';

export const MASTER_KEY_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key's bytes; `source` names where the text came from, for the message. */
export function decodeMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  // Buffer.from(..., 'base64') skips characters it does not know; refuse them instead.
  const bytes = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== MASTER_KEY_BYTES) {
    const got = BASE64.test(trimmed) ? `it decodes to ${bytes.length} bytes` : 'it is not base64';
    throw new ConfigError(`the master key in ${source} must be base64 of ${MASTER_KEY_BYTES} bytes, but ${got}`);
  }
  return bytes;
}

/** Reads and decodes a master key file; unreadable files (EACCES, EISDIR, ...) are ConfigErrors too. */
export function readMasterKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the master key file ${file}: ${describeFsError(error)}`, code === undefined ? undefined : { cause: error });
  }
  return decodeMasterKey(text, file);
}

/** "permission denied (EACCES)" rather than Node's "EACCES: permission denied, open '/x'". */
export function describeFsError(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  if (errno.code === undefined) return errno instanceof Error ? errno.message : String(error);
  const text = errno.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return `${text} (${errno.code})`;
}
