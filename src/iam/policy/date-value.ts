/**
 * Dates in Date* conditions: ISO 8601 (a date, or a date and time with an optional UTC offset)
 * or epoch seconds, as a string or a JSON number. Date.parse alone is too lenient (it reads
 * "March 7" and reads a time without offset as local time), so the form is checked first and a
 * time without offset is taken as UTC, never as the server's time zone.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const EPOCH_SECONDS = /^\d{1,12}$/;

/** Milliseconds since the epoch, or undefined when `value` is not a date in a form IAM takes. */
export function parseDateValue(value: string | number | boolean): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value * 1000 : undefined;
  if (EPOCH_SECONDS.test(value)) return Number(value) * 1000;
  if (ISO_DATE.test(value)) return checked(value, `${value}T00:00:00Z`);
  const dateTime = ISO_DATE_TIME.exec(value);
  if (dateTime === null) return undefined;
  // Beyond milliseconds, digits only add precision Date cannot hold; drop them rather than refuse.
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  return checked(value, dateTime[1] === undefined ? `${trimmed}Z` : trimmed);
}

/** Date.parse rolls 2024-02-30 over to March; refuse dates whose fields do not survive the trip. */
function checked(original: string, normalized: string): number | undefined {
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) return undefined;
  const [year, month, day] = original.slice(0, 10).split('-').map(Number);
  if (month === undefined || day === undefined || year === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return ms;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
