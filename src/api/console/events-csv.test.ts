import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvHeader, csvRow } from './events-csv.js';

const record = {
  eventVersion: '1.11',
  userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' },
  eventTime: '2026-12-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'DeleteBucket',
  awsRegion: 'us-east-1',
  sourceIPAddress: '=cmd|"/c calc"!A1',
  errorCode: 'AccessDenied',
  requestParameters: { bucketName: 'a,b' },
  eventID: 'e1',
  readOnly: false,
  resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::a,b' }],
};

/** RFC 4180 fields of one row, for checking what a spreadsheet would read. */
function parseRow(row: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < row.length) {
    if (row[i] === '"') {
      let value = '';
      i++;
      while (i < row.length) {
        if (row[i] === '"' && row[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (row[i] === '"') {
          i++;
          break;
        } else value += row[i++];
      }
      fields.push(value);
      i++;
    } else {
      const end = row.indexOf(',', i);
      fields.push(row.slice(i, end < 0 ? row.length : end));
      i = end < 0 ? row.length + 1 : end + 1;
    }
  }
  return fields;
}

describe('event history CSV', () => {
  it('has the console download columns and one quoted, formula-safe row per event', () => {
    expect(csvHeader()).toBe(CSV_COLUMNS.join(',') + '\r\n');
    const row = csvRow(record);
    expect(row.endsWith('\r\n')).toBe(true);
    const fields = parseRow(row.slice(0, -2));
    expect(fields).toHaveLength(CSV_COLUMNS.length);
    expect(fields).toEqual([
      '2026-12-01T10:00:00Z',
      'DeleteBucket',
      'alice',
      's3.amazonaws.com',
      'AWS::S3::Bucket',
      'a,b',
      'AccessDenied',
      'false',
      'AKIAEXAMPLE',
      'e1',
      `'=cmd|"/c calc"!A1`,
      'us-east-1',
    ]);
  });
});
