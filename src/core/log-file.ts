/**
 * CloudTrail log files as delivered to S3: the document, its gzip form, and the object keys of
 * log files and digest files (the CloudTrail User Guide, 'Finding your CloudTrail log files' and 'CloudTrail log file examples'). Pure functions: the same input always gives the
 * same bytes and the same key, so a batch delivered twice (a retry, a restart) overwrites itself
 * instead of leaving a second copy.
 */
import { createHash } from 'node:crypto';
import { constants, gzipSync } from 'node:zlib';

/**
 * The log file document for raw record texts: `{"Records":[r1,r2,...]}`. The records are kept
 * byte for byte (not re-serialised): they are the texts the event log holds, and
 * `splitRecords` hands them back unchanged.
 */
export function logFileJson(records: readonly string[]): Buffer {
  return Buffer.from(`{"Records":[${records.join(',')}]}`, 'utf8');
}

/** Gzip header byte 9: the operating system. 255 is "unknown", the same on every platform. */
const OS_UNKNOWN = 0xff;

/**
 * Deterministic gzip: a single member, no file name, MTIME 0, FLG 0, fixed level, and the OS
 * byte pinned (zlib writes the build platform's code there). Identical input gives identical
 * bytes on every call and every platform with the same zlib build; the deflate stream itself is
 * zlib's, so a different zlib could compress differently (digests hash the uncompressed JSON,
 * so nothing depends on that).
 */
export function deterministicGzip(data: Buffer): Buffer {
  const out = gzipSync(data, { level: constants.Z_DEFAULT_COMPRESSION, strategy: constants.Z_DEFAULT_STRATEGY });
  // zlib's own gzip header: 1f 8b 08, FLG 0, MTIME 0 (Node never sets a gz_header), XFL, OS.
  if (out[0] !== 0x1f || out[1] !== 0x8b || out[2] !== 0x08 || out[3] !== 0) {
    throw new Error('unexpected gzip header from zlib');
  }
  out.writeUInt32LE(0, 4);
  out[9] = OS_UNKNOWN;
  return out;
}

export interface BuiltLogFile {
  /** The uncompressed document. */
  json: Buffer;
  /** What goes to S3. */
  gzip: Buffer;
  /** Lowercase hex SHA-256 of the uncompressed JSON (what digest files record). */
  sha256: string;
}

export function buildLogFile(records: readonly string[]): BuiltLogFile {
  const json = logFileJson(records);
  return { json, gzip: deterministicGzip(json), sha256: createHash('sha256').update(json).digest('hex') };
}

const UNIQUE = /^[A-Za-z0-9]{16}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The 16-character unique part of a log file name, [A-Za-z0-9]: base62 of a SHA-256 over the
 * trail, the region and the batch's first and last log position. A pure function, so a batch
 * that is delivered again gets the same key.
 */
export function uniqueSuffix(trailArn: string, region: string, firstSeq: number, lastSeq: number): string {
  const digest = createHash('sha256').update(`${trailArn}\n${region}\n${firstSeq}\n${lastSeq}`).digest('hex');
  let n = BigInt(`0x${digest}`);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

interface UtcParts {
  yyyy: string;
  mm: string;
  dd: string;
  hh: string;
  mi: string;
  ss: string;
}

function utcParts(ms: number, what: string): UtcParts {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new RangeError(`${what} is not a representable time: ${ms}`);
  }
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    yyyy: String(year).padStart(4, '0'),
    mm: two(date.getUTCMonth() + 1),
    dd: two(date.getUTCDate()),
    hh: two(date.getUTCHours()),
    mi: two(date.getUTCMinutes()),
    ss: two(date.getUTCSeconds()),
  };
}

/** `<prefix>/` or nothing: an absent or empty S3KeyPrefix adds nothing. */
function prefixPart(prefix: string | undefined): string {
  return prefix ? `${prefix}/` : '';
}

/** `AWSLogs/<acct>/`, or `AWSLogs/<o-id>/<acct>/` for an organization trail. */
function accountPart(organizationId: string | undefined, accountId: string): string {
  return organizationId === undefined ? `AWSLogs/${accountId}/` : `AWSLogs/${organizationId}/${accountId}/`;
}

export interface LogFileKeyParts {
  /** The trail's S3KeyPrefix; absent when the key has none. */
  prefix?: string;
  /** An organization trail's organization (`o-...`): its files lie under AWSLogs/<o-id>/<acct>/. */
  organizationId?: string;
  accountId: string;
  region: string;
  /** Delivery time, epoch ms (the key keeps it to the minute). */
  deliveryTimeMs: number;
  /** 16 characters [A-Za-z0-9]. */
  unique: string;
}

/**
 * CloudTrail's log file key:
 * `[prefix/]AWSLogs/[<o-id>/]<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique16>.json.gz`,
 * UTC; the date folders and the time in the name are both the delivery time.
 */
export function logFileKey(p: LogFileKeyParts): string {
  if (!UNIQUE.test(p.unique)) throw new RangeError(`unique part must be 16 characters [A-Za-z0-9]: ${p.unique}`);
  const t = utcParts(p.deliveryTimeMs, 'deliveryTimeMs');
  return (
    `${prefixPart(p.prefix)}${accountPart(p.organizationId, p.accountId)}CloudTrail/${p.region}/${t.yyyy}/${t.mm}/${t.dd}/` +
    `${p.accountId}_CloudTrail_${p.region}_${t.yyyy}${t.mm}${t.dd}T${t.hh}${t.mi}Z_${p.unique}.json.gz`
  );
}

/**
 * CloudTrail's Insights file key: as a log file's, with `CloudTrail-Insight` for `CloudTrail`:
 * `[prefix/]AWSLogs/<acct>/CloudTrail-Insight/<region>/YYYY/MM/DD/<acct>_CloudTrail-Insight_<region>_<YYYYMMDDTHHmmZ>_<unique16>.json.gz`.
 */
export function insightFileKey(p: LogFileKeyParts): string {
  if (!UNIQUE.test(p.unique)) throw new RangeError(`unique part must be 16 characters [A-Za-z0-9]: ${p.unique}`);
  const t = utcParts(p.deliveryTimeMs, 'deliveryTimeMs');
  return (
    `${prefixPart(p.prefix)}${accountPart(p.organizationId, p.accountId)}CloudTrail-Insight/${p.region}/${t.yyyy}/${t.mm}/${t.dd}/` +
    `${p.accountId}_CloudTrail-Insight_${p.region}_${t.yyyy}${t.mm}${t.dd}T${t.hh}${t.mi}Z_${p.unique}.json.gz`
  );
}

/** `s`: a prefix may hold any character, newlines too. */
const LOG_FILE_KEY =
  /^(?:(.+)\/)?AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\3_CloudTrail_\4_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([A-Za-z0-9]{16})\.json\.gz$/s;

/**
 * The parts of a log file key, or undefined when the key is not one (wrong shape, date folders
 * that disagree with the name, an impossible date). `deliveryTimeMs` is the named minute.
 */
export function parseLogFileKey(key: string): LogFileKeyParts | undefined {
  const m = LOG_FILE_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix, organizationId, accountId, region, folderY, folderM, folderD, y, mo, d, h, mi, unique] = m;
  if (folderY !== y || folderM !== mo || folderD !== d) return undefined;
  const deliveryTimeMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  // Date.UTC rolls over (month 13, hour 24, Feb 30): accept only keys this module would write.
  const parts: LogFileKeyParts = { accountId: accountId!, region: region!, deliveryTimeMs, unique: unique! };
  if (prefix !== undefined) parts.prefix = prefix;
  if (organizationId !== undefined) parts.organizationId = organizationId;
  try {
    return logFileKey(parts) === key ? parts : undefined;
  } catch {
    return undefined;
  }
}

export interface DigestKeyParts {
  prefix?: string;
  /** An organization trail's organization: its digests lie under AWSLogs/<o-id>/<acct>/. */
  organizationId?: string;
  accountId: string;
  /** The region that delivers the digest. */
  region: string;
  trailName: string;
  /** The trail's home region (differs from `region` for a multi-region trail's other regions). */
  homeRegion: string;
  /** digestEndTime, epoch ms (the key keeps it to the second). */
  endTimeMs: number;
}

/**
 * The digest file key:
 * `[prefix/]AWSLogs/[<o-id>/]<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<region>_<trailName>_<homeRegion>_<YYYYMMDDTHHMMSSZ>.json.gz`,
 * UTC; the date folders and the time in the name are both the digest end time.
 */
export function digestKey(p: DigestKeyParts): string {
  const t = utcParts(p.endTimeMs, 'endTimeMs');
  return (
    `${prefixPart(p.prefix)}${accountPart(p.organizationId, p.accountId)}CloudTrail-Digest/${p.region}/${t.yyyy}/${t.mm}/${t.dd}/` +
    `${p.accountId}_CloudTrail-Digest_${p.region}_${p.trailName}_${p.homeRegion}_${t.yyyy}${t.mm}${t.dd}T${t.hh}${t.mi}${t.ss}Z.json.gz`
  );
}
