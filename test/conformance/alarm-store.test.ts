/** The alarm and metric stores on both stores, with their staged changes applied through the event log with a record. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmHistoryItem, MetricAlarm } from '../../src/store/monitoring/alarms.js';
import type { AlarmChange } from '../../src/store/monitoring/monitoring-change.js';
import { singleValueSample } from '../../src/store/monitoring/metrics.js';
import { StateConflictError } from '../../src/store/state-change.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import type { TestStores } from '../support/store-backends.js';
import { event } from './event-store.suite.js';

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`alarm and metric stores on ${backend.name}`, () => {
    let stores: TestStores;
    let seq = 0;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
    });
    async function commit(change: AlarmChange): Promise<void> {
      await stores.events.append([event(++seq)], [change]);
    }

    function alarm(name: string, accountId = '111122223333', overrides: Partial<MetricAlarm> = {}): MetricAlarm {
      return {
        accountId,
        region: 'us-east-1',
        alarmName: name,
        alarmArn: `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:${name}`,
        actionsEnabled: true,
        okActions: [],
        alarmActions: [`arn:aws:sns:us-east-1:${accountId}:${name}-topic`],
        insufficientDataActions: [],
        namespace: 'App',
        metricName: 'Errors',
        dimensions: [],
        statistic: 'Sum',
        periodSeconds: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanThreshold',
        tags: [],
        configurationUpdatedMs: 1000,
        state: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestampMs: 1000 },
        ...overrides,
      };
    }

    function item(name: string, timestampMs: number, type: AlarmHistoryItem['historyItemType'] = 'ConfigurationUpdate'): AlarmHistoryItem {
      return { accountId: '111122223333', region: 'us-east-1', alarmName: name, timestampMs, historyItemType: type, historySummary: `${name}@${timestampMs}`, historyData: '{}' };
    }

    describe('alarms', () => {
      it('keeps a replaced alarm’s state, filters and pages DescribeAlarms by name, isolates accounts', async () => {
        for (const name of ['a1', 'a2', 'b1']) await commit({ kind: 'putMetricAlarm', alarm: alarm(name), history: item(name, 1) });
        await commit({ kind: 'putMetricAlarm', alarm: alarm('a1', '444455556666'), history: item('a1', 1) });
        await commit({ kind: 'setAlarmState', accountId: '111122223333', region: 'us-east-1', alarmName: 'a2', state: { value: 'ALARM', reason: 'r', timestampMs: 5 }, history: item('a2', 5, 'StateUpdate') });
        await commit({ kind: 'putMetricAlarm', alarm: alarm('a2', '111122223333', { threshold: 9 }), history: item('a2', 6) });
        const a2 = await stores.alarms.get({ accountId: '111122223333', region: 'us-east-1', alarmName: 'a2' });
        expect(a2).toMatchObject({ threshold: 9, state: { value: 'ALARM', reason: 'r' } });
        // SetAlarmState to a new value owes its actions.
        expect((await stores.alarms.pendingActions()).map((a) => a.transition.newState.value)).toEqual(['ALARM']);

        const first = await stores.alarms.list('111122223333', 'us-east-1', { namePrefix: 'a' }, 1);
        expect(first.alarms.map((a) => a.alarmName)).toEqual(['a1']);
        const second = await stores.alarms.list('111122223333', 'us-east-1', { namePrefix: 'a' }, 1, first.next);
        expect(second).toMatchObject({ alarms: [{ alarmName: 'a2' }] });
        expect(second.next).toBeUndefined();
        expect((await stores.alarms.list('111122223333', 'us-east-1', { stateValue: 'ALARM' }, 10)).alarms.map((a) => a.alarmName)).toEqual(['a2']);
        expect((await stores.alarms.list('111122223333', 'us-east-1', { actionPrefix: 'arn:aws:sns:us-east-1:111122223333:b' }, 10)).alarms.map((a) => a.alarmName)).toEqual(['b1']);
        expect((await stores.alarms.list('444455556666', 'us-east-1', {}, 10)).alarms.map((a) => a.alarmArn)).toEqual(['arn:aws:cloudwatch:us-east-1:444455556666:alarm:a1']);
        expect(await stores.alarms.count('111122223333', 'us-east-1')).toBe(3);

        await expect(commit({ kind: 'deleteAlarms', accountId: '111122223333', region: 'us-east-1', alarmNames: ['nope'], history: [] })).rejects.toBeInstanceOf(StateConflictError);
        await commit({ kind: 'deleteAlarms', accountId: '111122223333', region: 'us-east-1', alarmNames: ['a1'], history: [item('a1', 9)] });
        expect(await stores.alarms.get({ accountId: '111122223333', region: 'us-east-1', alarmName: 'a1' })).toBeUndefined();
        expect(await stores.alarms.get({ accountId: '444455556666', region: 'us-east-1', alarmName: 'a1' })).toBeDefined();
      });

      it('pages history newest or oldest first within the dates, by type', async () => {
        for (const t of [10, 20, 30, 40]) await commit({ kind: 'putMetricAlarm', alarm: alarm('x'), history: item('x', t, t === 30 ? 'StateUpdate' : 'ConfigurationUpdate') });
        const page1 = await stores.alarms.history('111122223333', 'us-east-1', { newestFirst: true }, 2);
        expect(page1.items.map((i) => i.timestampMs)).toEqual([40, 30]);
        const page2 = await stores.alarms.history('111122223333', 'us-east-1', { newestFirst: true }, 2, page1.next);
        expect(page2.items.map((i) => i.timestampMs)).toEqual([20, 10]);
        expect(page2.next).toBeUndefined();
        expect((await stores.alarms.history('111122223333', 'us-east-1', { newestFirst: false, startMs: 15, endMs: 35 }, 10)).items.map((i) => i.timestampMs)).toEqual([20, 30]);
        expect((await stores.alarms.history('111122223333', 'us-east-1', { newestFirst: true, itemType: 'StateUpdate' }, 10)).items.map((i) => i.timestampMs)).toEqual([30]);
        expect((await stores.alarms.history('444455556666', 'us-east-1', { newestFirst: true }, 10)).items).toEqual([]);
      });
    });

    describe('metrics', () => {
      const key = (metricName: string, dimensions: { name: string; value: string }[] = [], accountId = '111122223333') => ({
        accountId,
        region: 'us-east-1',
        namespace: 'App',
        metricName,
        dimensions,
      });

      it('aggregates samples per minute and reads a range', async () => {
        await stores.metrics.add([singleValueSample(key('Latency'), 60_000, 3), singleValueSample(key('Latency'), 61_000, 5), singleValueSample(key('Latency'), 125_000, 1)]);
        await commit({ kind: 'putMetricData', samples: [{ key: key('Latency'), timestampMs: 62_000, sampleCount: 2, sum: 4, minimum: 1, maximum: 3 }] });
        expect(await stores.metrics.minutes(key('Latency'), 60_000, 120_000)).toEqual([{ minuteMs: 60_000, sampleCount: 4, sum: 12, minimum: 1, maximum: 5 }]);
        expect(await stores.metrics.minutes(key('Latency'), 0, 1e9)).toHaveLength(2);
        expect(await stores.metrics.minutes(key('Latency', [], '444455556666'), 0, 1e9)).toEqual([]);
        expect(await stores.metrics.purgeBefore(120_000)).toBe(1);
      });

      it('lists metrics by namespace, name, dimension filters and activity, in pages', async () => {
        await stores.metrics.add([
          singleValueSample(key('A', [{ name: 'Service', value: 'api' }]), 60_000, 1),
          singleValueSample(key('A', [{ name: 'Service', value: 'web' }]), 60_000, 1),
          singleValueSample(key('B'), 600_000, 1),
          singleValueSample(key('C', [], '444455556666'), 60_000, 1),
        ]);
        const all = await stores.metrics.list('111122223333', 'us-east-1', {}, 2);
        expect(all.metrics.map((m) => m.metricName)).toEqual(['A', 'A']);
        const rest = await stores.metrics.list('111122223333', 'us-east-1', {}, 2, all.next);
        expect(rest.metrics.map((m) => m.metricName)).toEqual(['B']);
        expect(rest.next).toBeUndefined();
        expect((await stores.metrics.list('111122223333', 'us-east-1', { dimensions: [{ name: 'Service', value: 'web' }] }, 10)).metrics).toEqual([key('A', [{ name: 'Service', value: 'web' }])]);
        expect((await stores.metrics.list('111122223333', 'us-east-1', { dimensions: [{ name: 'Service' }] }, 10)).metrics).toHaveLength(2);
        expect((await stores.metrics.list('111122223333', 'us-east-1', { activeSinceMs: 300_000 }, 10)).metrics.map((m) => m.metricName)).toEqual(['B']);
        expect((await stores.metrics.list('111122223333', 'us-east-1', { metricName: 'C' }, 10)).metrics).toEqual([]);
      });
    });

  });
}
