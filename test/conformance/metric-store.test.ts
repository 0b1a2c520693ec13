/** The metric port (store/monitoring/metrics.ts) on every store backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/server/open-stores.js';
import type { MetricKey } from '../../src/store/monitoring/metrics.js';
import { singleValueSample } from '../../src/store/monitoring/metrics.js';
import { STORE_BACKENDS } from '../support/store-backends.js';

const MIN = 60_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MIN);

function key(metricName: string, dims: Record<string, string> = {}, namespace = 'App'): MetricKey {
  return { accountId: '111122223333', region: 'us-east-1', namespace, metricName, dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })) };
}

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`metric store on ${backend.name}`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('aggregates samples per minute, adding to what is there', async () => {
      const k = key('Latency', { Host: 'a' });
      await stores.metrics.add([singleValueSample(k, T0 + 1, 5), singleValueSample(k, T0 + 2, 1)]);
      await stores.metrics.add([singleValueSample(k, T0 + 3, 9), singleValueSample(k, T0 + MIN, 2)]);
      expect(await stores.metrics.minutes(k, T0, T0 + 2 * MIN)).toEqual([
        { minuteMs: T0, sampleCount: 3, sum: 15, minimum: 1, maximum: 9 },
        { minuteMs: T0 + MIN, sampleCount: 1, sum: 2, minimum: 2, maximum: 2 },
      ]);
      expect(await stores.metrics.minutes(k, T0 + MIN, T0 + 2 * MIN)).toHaveLength(1);
      expect(await stores.metrics.minutes(key('Latency', { Host: 'b' }), T0, T0 + 2 * MIN)).toEqual([]);
    });

    it('counts every sample when adds to one minute race', async () => {
      const k = key('Count');
      await Promise.all(Array.from({ length: 20 }, async () => stores.metrics.add([singleValueSample(k, T0, 1)])));
      expect(await stores.metrics.minutes(k, T0, T0 + MIN)).toEqual([{ minuteMs: T0, sampleCount: 20, sum: 20, minimum: 1, maximum: 1 }]);
    });

    it('lists metrics in order, filtered and paged', async () => {
      await stores.metrics.add([
        singleValueSample(key('B', { Host: 'a' }), T0, 1),
        singleValueSample(key('A', { Host: 'a', Zone: 'z' }), T0, 1),
        singleValueSample(key('A', { Host: 'b' }), T0 + 10 * MIN, 1),
        singleValueSample(key('C', {}, 'Other'), T0, 1),
      ]);
      const all = await stores.metrics.list('111122223333', 'us-east-1', {}, 10);
      expect(all.metrics.map((m) => `${m.namespace}/${m.metricName}/${m.dimensions.map((d) => d.value).join(',')}`)).toEqual(['App/A/a,z', 'App/A/b', 'App/B/a', 'Other/C/']);
      expect(all.next).toBeUndefined();
      const first = await stores.metrics.list('111122223333', 'us-east-1', {}, 2);
      expect(first.metrics).toHaveLength(2);
      const rest = await stores.metrics.list('111122223333', 'us-east-1', {}, 2, first.next);
      expect(rest.metrics.map((m) => m.metricName)).toEqual(['B', 'C']);
      expect((await stores.metrics.list('111122223333', 'us-east-1', { namespace: 'App', metricName: 'A' }, 10)).metrics).toHaveLength(2);
      expect((await stores.metrics.list('111122223333', 'us-east-1', { dimensions: [{ name: 'Zone' }] }, 10)).metrics.map((m) => m.metricName)).toEqual(['A']);
      expect((await stores.metrics.list('111122223333', 'us-east-1', { dimensions: [{ name: 'Host', value: 'b' }] }, 10)).metrics).toHaveLength(1);
      expect((await stores.metrics.list('111122223333', 'us-east-1', { activeSinceMs: T0 + 5 * MIN }, 10)).metrics.map((m) => m.dimensions[0]?.value)).toEqual(['b']);
      expect((await stores.metrics.list('999999999999', 'us-east-1', {}, 10)).metrics).toEqual([]);
    });

    it('purges minutes before a cutoff', async () => {
      const k = key('Old');
      await stores.metrics.add([singleValueSample(k, T0, 1), singleValueSample(k, T0 + MIN, 1), singleValueSample(k, T0 + 2 * MIN, 1)]);
      expect(await stores.metrics.purgeBefore(T0 + 2 * MIN)).toBe(2);
      expect((await stores.metrics.minutes(k, 0, T0 + 10 * MIN)).map((m) => m.minuteMs)).toEqual([T0 + 2 * MIN]);
    });
  });
}
