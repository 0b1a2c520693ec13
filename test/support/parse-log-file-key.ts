/**
 * Reading a log file key back into its parts: the inverse of logFileKey, which tests use to
 * check that every key it writes is CloudTrail's shape and names the parts it was given.
 */
import { logFileKey } from '../../src/core/log-file.js';
import type { LogFileKeyParts } from '../../src/core/log-file.js';

/** `s`: a prefix may hold any character, newlines too. */
const LOG_FILE_KEY =
  /^(?:(.+)\/)?AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([A-Za-z0-9]{16})\.json\.gz$/s;

/**
 * The parts of a log file key, or undefined when the key is not one (wrong shape, date folders
 * that disagree with the name, an impossible date). `deliveryTimeMs` is the named minute.
 */
export function parseLogFileKey(key: string): LogFileKeyParts | undefined {
  const m = LOG_FILE_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix, accountId, region, folderY, folderM, folderD, y, mo, d, h, mi, unique] = m;
  if (folderY !== y || folderM !== mo || folderD !== d) return undefined;
  const deliveryTimeMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  // Date.UTC rolls over (month 13, hour 24, Feb 30): accept only keys logFileKey would write.
  const parts: LogFileKeyParts = { accountId: accountId!, region: region!, deliveryTimeMs, unique: unique! };
  if (prefix !== undefined) parts.prefix = prefix;
  try {
    return logFileKey(parts) === key ? parts : undefined;
  } catch {
    return undefined;
  }
}
