/** The date text of CloudTrail's records, in both services' styles. */
import { expect, it } from 'vitest';
import { recordedDate, recordedTimestamp } from './recorded-date.js';

it('formats the 12-hour clock around noon and midnight', () => {
  expect(recordedDate(Date.UTC(2024, 0, 2, 0, 5, 9) / 1000, 'MMM d, yyyy h:mm:ss a')).toBe('Jan 2, 2024 12:05:09 AM');
  expect(recordedDate(Date.UTC(2024, 6, 30, 12, 0, 0) / 1000, 'MMM d, yyyy h:mm:ss a')).toBe('Jul 30, 2024 12:00:00 PM');
});

it('puts a comma after the year in the STS style', () => {
  expect(recordedDate(Date.UTC(2024, 6, 30, 21, 46, 15) / 1000, 'MMM d, yyyy, h:mm:ss a')).toBe('Jul 30, 2024, 9:46:15 PM');
});

it('records epoch seconds and Dates, and leaves out what is no date', () => {
  expect(recordedTimestamp(1604611305, 'MMM d, yyyy h:mm:ss a')).toBe('Nov 5, 2020 9:21:45 PM');
  expect(recordedTimestamp(new Date(1604611305_000), 'MMM d, yyyy h:mm:ss a')).toBe('Nov 5, 2020 9:21:45 PM');
  expect(recordedTimestamp('2020-11-05', 'MMM d, yyyy h:mm:ss a')).toBeUndefined();
  expect(recordedTimestamp(1e12, 'MMM d, yyyy h:mm:ss a')).toBeUndefined();
});
