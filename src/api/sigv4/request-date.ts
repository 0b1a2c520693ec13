/**
 * The signing time of a request. SigV4 takes it from `X-Amz-Date` (ISO 8601 basic,
 * `YYYYMMDDTHHMMSSZ`) or, failing that, from the HTTP `Date` header; either way the string to
 * sign and the credential scope use the ISO basic form.
 */

export interface RequestDate {
  /** The ISO 8601 basic form, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** The same instant in epoch milliseconds. */
  epochMs: number;
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Epoch milliseconds as ISO 8601 basic; `'(invalid time)'` for a time outside the Date range rather than throwing. */
export function formatAmzDate(epochMs: number): string {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return '(invalid time)';
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    'T' +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    'Z'
  );
}

/** Only real calendar instants: a February 30th must not slip through as March 2nd. */
function fromFields(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): RequestDate | undefined {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(epochMs);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { amzDate: formatAmzDate(epochMs), epochMs };
}

/** Parses an `X-Amz-Date` value; undefined when it is not a valid ISO 8601 basic UTC timestamp. */
export function parseAmzDate(value: string): RequestDate | undefined {
  const match = ISO_BASIC.exec(value);
  if (match === null) return undefined;
  const field = (index: number): number => Number(match[index]);
  return fromFields(field(1), field(2), field(3), field(4), field(5), field(6));
}

/** Parses an HTTP `Date` header in the IMF-fixdate form every current client sends. */
export function parseHttpDate(value: string): RequestDate | undefined {
  const match = IMF_FIXDATE.exec(value);
  if (match === null) return undefined;
  const month = MONTHS.indexOf(match[2]!) + 1;
  if (month === 0) return undefined;
  return fromFields(Number(match[3]), month, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
}
