/**
 * Insights attributions: who and what made up an incident and its baseline. Each attribute's
 * values are counted over the calls (the incident's, or a sample of the baseline's), turned
 * into per-minute averages by their share of the series' average, and the top five kept,
 * highest first. A call that did not fail has the error code "null", as CloudTrail shows it.
 */
import type { CloudTrailRecord } from '../record.js';
import type { Attribution } from './insight-record.js';

const TOP = 5;
const ATTRIBUTES: readonly Attribution['attribute'][] = ['userIdentityArn', 'userAgent', 'errorCode'];

function valueOf(record: CloudTrailRecord, attribute: Attribution['attribute']): string {
  switch (attribute) {
    case 'userIdentityArn': {
      const arn = record.userIdentity?.arn;
      return typeof arn === 'string' && arn !== '' ? arn : 'null';
    }
    case 'userAgent':
      return typeof record.userAgent === 'string' && record.userAgent !== '' ? record.userAgent : 'null';
    case 'errorCode':
      return typeof record.errorCode === 'string' && record.errorCode !== '' ? record.errorCode : 'null';
  }
}

function top(records: readonly CloudTrailRecord[], attribute: Attribution['attribute'], average: number): { value: string; average: number }[] {
  if (records.length === 0) return [];
  const counts = new Map<string, number>();
  for (const record of records) {
    const value = valueOf(record, attribute);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([value, count]) => ({ value, average: (average * count) / records.length }));
}

/**
 * @param insight the incident's calls (all of them, or a sample) and its average per minute
 * @param baseline a sample of the baseline's calls and the baseline average per minute
 */
export function attributionsOf(
  insight: { records: readonly CloudTrailRecord[]; average: number },
  baseline: { records: readonly CloudTrailRecord[]; average: number },
): Attribution[] {
  return ATTRIBUTES.map((attribute) => ({
    attribute,
    insight: top(insight.records, attribute, insight.average),
    baseline: top(baseline.records, attribute, baseline.average),
  }));
}
