/**
 * The CSV of an event history download: the columns of CloudTrail's console download, one row
 * per event, fields quoted per RFC 4180. A field that a spreadsheet would run as a formula
 * (starting with = + - @) is prefixed with an apostrophe: a record holds text its caller chose.
 */
import { lookupKeysOf } from '../../core/lookup-keys.js';
import type { CloudTrailRecord } from '../../core/record.js';
import { isoSeconds } from '../../core/time-format.js';

export const CSV_COLUMNS = [
  'Event time',
  'Event name',
  'User name',
  'Event source',
  'Resource type',
  'Resource name',
  'Error code',
  'Read only',
  'AWS access key',
  'Event ID',
  'Source IP address',
  'AWS region',
] as const;

function field(value: string | boolean | number | null | undefined): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvRow(record: CloudTrailRecord): string {
  const keys = lookupKeysOf(record);
  const types = keys.resources.map((r) => r.type ?? '').filter((t) => t !== '');
  const names = keys.resources.map((r) => r.name ?? '').filter((n) => n !== '');
  return (
    [
      isoSeconds(keys.eventTimeMs),
      keys.eventName,
      keys.username,
      keys.eventSource,
      types.join('; '),
      names.join('; '),
      typeof record.errorCode === 'string' ? record.errorCode : undefined,
      keys.readOnly,
      keys.accessKeyId,
      keys.eventId,
      typeof record.sourceIPAddress === 'string' ? record.sourceIPAddress : undefined,
      record.awsRegion,
    ]
      .map(field)
      .join(',') + '\r\n'
  );
}
