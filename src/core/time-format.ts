/** Time formats of the CloudTrail wire and record formats, all UTC. */

/** `2026-11-24T00:28:26Z`: record eventTime format, second precision. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Parses a record's eventTime (ISO 8601) to epoch ms; NaN when it is not a date. */
export function parseEventTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with a zone, as records carry (`2026-11-24T00:28:26Z`, fractions and
 * `±HH:MM` too) and that exists on the calendar: Date.parse alone takes `2026-02-30` (as
 * March 2), hour 24 and local-time forms without a zone.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE_TIME.exec(value);
  if (m === null) return false;
  // Groups 1-6 always match; the offset's (7, 8) only with ±HH:MM.
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const day = new Date(Date.UTC(y, mo - 1, d));
  const dayExists = day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  return dayExists && h < 24 && mi < 60 && s < 60 && oh < 24 && om < 60;
}
