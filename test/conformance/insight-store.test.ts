/** The insights port (store/insights/insight-store.ts) on every store backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/server/open-stores.js';
import type { MinuteCounts } from '../../src/store/insights/insight-store.js';
import { STORE_BACKENDS } from '../support/store-backends.js';

const MIN = 60_000;
const T0 = 1_700_000_040_000;
const API = { accountId: '111122223333', region: 'us-east-1', eventSource: 's3.amazonaws.com', eventName: 'PutObject' };

function counts(minuteMs: number, calls: number, errors: Record<string, number> = {}, category: 'Management' | 'Data' = 'Management'): MinuteCounts {
  return { ...API, category, minuteMs, calls, errors };
}

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`insight store on ${backend.name}`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('starts at nothing', async () => {
      expect(await stores.insights.position()).toEqual({ lastSeq: 0 });
      expect(await stores.insights.partitions()).toEqual([]);
      expect(await stores.insights.incidents()).toEqual([]);
      expect(await stores.insights.minutesFrom(0)).toEqual([]);
    });

    it('adds counts, keeps a partition first minute and moves the position', async () => {
      await stores.insights.commitCounts({ lastSeq: 5, counts: [counts(T0, 3, { AccessDenied: 1 }), counts(T0, 2, {}, 'Data')], partitions: [{ accountId: API.accountId, region: API.region, firstMinute: T0 }] });
      await stores.insights.commitCounts({ lastSeq: 9, counts: [counts(T0, 1, { AccessDenied: 2, NoSuchKey: 1 }), counts(T0 + MIN, 0, { NoSuchKey: 1 })], partitions: [{ accountId: API.accountId, region: API.region, firstMinute: T0 + MIN }] });
      expect(await stores.insights.position()).toEqual({ lastSeq: 9 });
      expect(await stores.insights.partitions()).toEqual([{ accountId: API.accountId, region: API.region, firstMinute: T0 }]);
      expect(await stores.insights.minutesFrom(T0)).toEqual([
        { ...API, category: 'Data', minuteMs: T0, calls: 2, errors: 0 },
        { ...API, category: 'Management', minuteMs: T0, calls: 4, errors: 4 },
        { ...API, category: 'Management', minuteMs: T0 + MIN, calls: 0, errors: 1 },
      ]);
      const query = { ...API, startMs: T0, endMs: T0 + 2 * MIN };
      expect(await stores.insights.minuteValues({ ...query, insightType: 'ApiCallRateInsight' })).toEqual([{ minuteMs: T0, value: 6 }]);
      expect(await stores.insights.minuteValues({ ...query, insightType: 'ApiErrorRateInsight' })).toEqual([{ minuteMs: T0, value: 4 }, { minuteMs: T0 + MIN, value: 1 }]);
      expect(await stores.insights.minuteValues({ ...query, insightType: 'ApiErrorRateInsight', errorCode: 'NoSuchKey' })).toEqual([{ minuteMs: T0, value: 1 }, { minuteMs: T0 + MIN, value: 1 }]);
      expect(await stores.insights.purgeBefore(T0 + MIN)).toBe(4);
      expect((await stores.insights.minutesFrom(0)).map((m) => m.minuteMs)).toEqual([T0 + MIN]);
    });

    it('writes, replaces and removes incidents with the evaluated minute', async () => {
      const key = { ...API, category: 'Management' as const, insightType: 'ApiCallRateInsight' as const };
      await stores.insights.commitEvaluation({ evaluatedMinute: 10, incidents: [{ key, state: { phase: 'confirming' } }] });
      expect(await stores.insights.position()).toEqual({ lastSeq: 0, evaluatedMinute: 10 });
      await stores.insights.commitEvaluation({ evaluatedMinute: 11, incidents: [{ key, state: { phase: 'open' } }] });
      expect(await stores.insights.incidents()).toEqual([{ key, state: { phase: 'open' } }]);
      await stores.insights.commitCounts({ lastSeq: 3, counts: [], partitions: [] });
      expect(await stores.insights.position()).toEqual({ lastSeq: 3, evaluatedMinute: 11 });
      await stores.insights.commitEvaluation({ evaluatedMinute: 12, incidents: [{ key, state: undefined }] });
      expect(await stores.insights.incidents()).toEqual([]);
    });
  });
}
