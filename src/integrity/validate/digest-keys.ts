/**
 * Which digest files belong to a trail in one region, as `aws cloudtrail validate-logs` finds
 * them (the AWS CLI's `cloudtrail validate-logs` (AWS CLI Command Reference, and the behaviour of the stock CLI)): the digest prefix of the source region, a key pattern that pins account,
 * regions and trail name, and the end time cut from fixed offsets at the end of the key.
 */

/** What names a trail's digest files. */
export interface DigestTarget {
  /** The trail's S3KeyPrefix; empty or absent for none. */
  prefix?: string | undefined;
  /** An organization trail's organization: its files lie under AWSLogs/<o-id>/<acct>/. */
  organizationId?: string | undefined;
  accountId: string;
  /** The region whose digests are validated. */
  sourceRegion: string;
  /** The trail's home region (ARN field 4). */
  homeRegion: string;
  trailName: string;
}

const TRAIL_ARN = /^arn:.+:cloudtrail:.+:\d{12}:trail\/.+/;

/** Home region, account and trail name from a trail ARN; throws RangeError on what the CLI refuses. */
export function parseTrailArn(arn: string): { homeRegion: string; accountId: string; trailName: string } {
  if (!TRAIL_ARN.test(arn)) throw new RangeError(`Invalid trail ARN provided: ${arn}`);
  const fields = arn.split(':');
  return { homeRegion: fields[3]!, accountId: fields[4]!, trailName: arn.slice(arn.lastIndexOf('/') + 1) };
}

function prefixPart(prefix: string | undefined): string {
  return prefix ? `${prefix}/` : '';
}

/** `[prefix/]AWSLogs/[<o-id>/]<acct>/`: where the account's files of the trail lie. */
export function accountFolder(target: Pick<DigestTarget, 'prefix' | 'organizationId' | 'accountId'>): string {
  const organization = target.organizationId === undefined ? '' : `${target.organizationId}/`;
  return `${prefixPart(target.prefix)}AWSLogs/${organization}${target.accountId}/`;
}

/** The listing prefix: `[prefix/]AWSLogs/[<o-id>/]<acct>/CloudTrail-Digest/<source region>`. */
export function digestListPrefix(target: DigestTarget): string {
  return `${accountFolder(target)}CloudTrail-Digest/${target.sourceRegion}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Standard digest keys of the trail in the source region (backfill digests are not matched). */
export function digestKeyPattern(target: DigestTarget): RegExp {
  const { accountId: a, sourceRegion: r } = target;
  return new RegExp(
    `^${escape(accountFolder(target))}CloudTrail-Digest/${escape(r)}/\\d+/\\d+/\\d+/` +
      `${escape(a)}_CloudTrail-Digest_${escape(r)}_${escape(target.trailName)}_${escape(target.homeRegion)}_.+\\.json\\.gz$`,
    's',
  );
}

/** `YYYYMMDDTHHMMSSZ`: the 16 characters before `.json.gz`. */
export function digestKeyDate(key: string): string {
  return key.slice(-24, -8);
}

const KEY_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch ms of a key's date, NaN when the characters there are not a date. */
export function keyDateMs(key: string): number {
  const m = KEY_DATE.exec(digestKeyDate(key));
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** A time as digest keys write it: `YYYYMMDDTHHMMSSZ` (UTC, truncated to the second). */
export function keyDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000Z', 'Z');
}

/** `2015-08-17T15:01:31Z`: how the CLI prints times. */
export function displayTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const NAIVE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A `--start-time` / `--end-time` value: ISO 8601 (`2015-01-08T05:21:42Z`, `2015-01-08 05:21`,
 * `2015-01-08`, with an offset or `Z`); without a zone it is UTC, as for the CLI. An offset is
 * honoured (the CLI's dateutil path replaces it with UTC instead). Throws RangeError otherwise.
 */
export function parseTimeArgument(text: string): number {
  const value = text.trim();
  let ms = Number.NaN;
  if (NAIVE.test(value)) {
    const [date, time = '00:00:00'] = value.split(/[T ]/);
    ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
  } else if (ZONED.test(value)) {
    ms = Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  }
  if (Number.isNaN(ms) || !isCalendarDate(value)) throw new RangeError(`Unable to parse date value: ${text}`);
  return ms;
}

/** Date.parse rolls over (February 30, hour 24): accept only dates and times that exist. */
function isCalendarDate(value: string): boolean {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = (value.match(/\d+/g) ?? []).slice(0, 6).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}
