/** Time formats of the CloudTrail wire and record formats, all UTC. */

/** `2026-11-24T00:28:26Z`: record eventTime format, second precision. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Parses a record's eventTime (ISO 8601) to epoch ms; NaN when it is not a date. */
export function parseEventTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
