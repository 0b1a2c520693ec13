/**
 * The Java-style date text CloudTrail writes for timestamps in the records of IAM, STS and
 * Organizations calls (their requestParameters and responseElements), in UTC. The services
 * differ by one comma: IAM and Organizations write `Jul 30, 2024 9:53:13 PM`, STS
 * `Jul 30, 2024, 9:46:15 PM`.
 */

/** The two date texts seen in CloudTrail's records. */
export type RecordedDateStyle = 'MMM d, yyyy h:mm:ss a' | 'MMM d, yyyy, h:mm:ss a';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function recordedDate(seconds: number, style: RecordedDateStyle): string {
  const date = new Date(Math.floor(seconds) * 1000);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${MONTHS[date.getUTCMonth()]!} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  const time = `${hour12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  return style === 'MMM d, yyyy h:mm:ss a' ? `${day} ${time}` : `${day}, ${time}`;
}

/**
 * A timestamp member's value (epoch seconds, or a Date a handler built) as recorded; undefined,
 * so the member is left out, when it is not a date that can be written (beyond year ~5138).
 */
export function recordedTimestamp(value: unknown, style: RecordedDateStyle): string | undefined {
  const seconds = value instanceof Date ? value.getTime() / 1000 : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 1e11 ? recordedDate(seconds, style) : undefined;
}
