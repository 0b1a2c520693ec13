/**
 * What the detector counts, on the shared real CloudTrail records, against the rule written out
 * plainly: management write calls and every data event are calls; any errorCode is a failure;
 * Insights, network-activity and records without an API are not counted.
 */
import { describe, expect, it } from 'vitest';
import { sampleFiles, samplesAvailable, sampleText } from '../../../test/support/samples.js';
import type { CloudTrailRecord } from '../record.js';
import { attributionsOf } from './attributions.js';
import { countedCall } from './counted-call.js';

const available = samplesAvailable();

describe.skipIf(!available)('counting the real CloudTrail samples', () => {
  const records = available ? sampleFiles().flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CloudTrailRecord[] }).Records) : [];

  it('counts each record as the plain rule says', () => {
    let calls = 0;
    let errors = 0;
    for (const r of records) {
      const counted = countedCall(r);
      const data = r.eventCategory === 'Data' || (r.eventCategory === undefined && r.managementEvent === false);
      const countable = typeof r.eventSource === 'string' && typeof r.eventName === 'string' && r.eventType !== 'AwsCloudTrailInsight' && r.eventCategory !== 'NetworkActivity';
      if (!countable) {
        expect(counted).toBeUndefined();
        continue;
      }
      expect(counted, JSON.stringify(r).slice(0, 300)).toBeDefined();
      expect(counted!.category).toBe(data ? 'Data' : 'Management');
      expect(counted!.countsAsCall).toBe(data || r.readOnly !== true);
      expect(counted!.errorCode).toBe(typeof r.errorCode === 'string' && r.errorCode !== '' ? r.errorCode : undefined);
      if (counted!.countsAsCall) calls += 1;
      if (counted!.errorCode !== undefined) errors += 1;
    }
    // The samples are attack datasets: many write calls and many failed ones.
    expect(calls).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(100);
  });

  it('attributes calls by user, agent and error code, top five, as per-minute averages', () => {
    const failed = records.filter((r) => typeof r.errorCode === 'string').slice(0, 500);
    const [users, agents, codes] = attributionsOf({ records: failed, average: 50 }, { records: records.slice(0, 200), average: 2 });
    for (const a of [users!, agents!, codes!]) {
      expect(a.insight.length).toBeGreaterThan(0);
      expect(a.insight.length).toBeLessThanOrEqual(5);
      expect(a.insight.reduce((sum, v) => sum + v.average, 0)).toBeLessThanOrEqual(50 + 1e-9);
      const averages = a.insight.map((v) => v.average);
      expect(averages).toEqual([...averages].sort((x, y) => y - x));
    }
    expect(codes!.insight.every((v) => v.value !== 'null')).toBe(true);
    expect(users!.attribute).toBe('userIdentityArn');
  });
});
