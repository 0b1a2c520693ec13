/**
 * The log store, on both stores: ingest (one transaction with the metric filters' samples,
 * dedupe, streams made on first use), the reads the handlers page with, retention, and the logs
 * changes applied with their records (conflicts as 'exists'/'missing').
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogGroup, LogStore, MetricFilter } from '../../src/store/monitoring/log-groups.js';
import { LogGroupMissingError } from '../../src/store/monitoring/log-groups.js';
import type { LogsChange } from '../../src/store/monitoring/monitoring-change.js';
import { StateConflictError } from '../../src/store/state-change.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import type { TestStores } from '../support/store-backends.js';
import { event } from './event-store.suite.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`log store on ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
    });

    let seq = 0;
    async function commit(...changes: LogsChange[]): Promise<void> {
      await stores.events.append([event(++seq, { account: ACCOUNT })], changes);
    }

    async function conflictOf(...changes: LogsChange[]): Promise<string | undefined> {
      try {
        await commit(...changes);
        return undefined;
      } catch (error) {
        if (error instanceof StateConflictError) return error.reason;
        throw error;
      }
    }

    function group(name: string, extra: Partial<LogGroup> = {}): LogGroup {
      return { accountId: ACCOUNT, region: REGION, name, arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`, createdAt: NOW, tags: {}, ...extra };
    }

    function filter(logGroupName: string, filterName: string, filterPattern: string, metricName = filterName): MetricFilter {
      return {
        accountId: ACCOUNT,
        region: REGION,
        logGroupName,
        filterName,
        filterPattern,
        metricTransformations: [{ metricName, metricNamespace: 'Test', metricValue: '1' }],
        createdAt: NOW,
      };
    }

    const target = (logGroupName: string, logStreamName = 's') => ({ accountId: ACCOUNT, region: REGION, logGroupName, logStreamName });

    async function metricSum(metricName: string): Promise<number> {
      const rows = await stores.rawQuery(`SELECT COALESCE(SUM(sum), 0) AS total FROM metric_minutes WHERE metric_name = '${metricName}'`);
      return rows[0]!.total as number;
    }

    describe('changes applied with their records', () => {
      it('creates a group once; a second create, or changes of a missing group, conflict', async () => {
        await commit({ kind: 'createLogGroup', group: group('g', { retentionInDays: 7, kmsKeyId: 'key', tags: { a: 'b' } }) });
        expect(await stores.logs.group(ACCOUNT, REGION, 'g')).toEqual(group('g', { retentionInDays: 7, kmsKeyId: 'key', tags: { a: 'b' } }));
        expect(await conflictOf({ kind: 'createLogGroup', group: group('g') })).toBe('exists');
        expect(await conflictOf({ kind: 'deleteLogGroup', accountId: ACCOUNT, region: REGION, name: 'nope' })).toBe('missing');
        expect(await conflictOf({ kind: 'setLogGroupRetention', accountId: ACCOUNT, region: REGION, name: 'nope', retentionInDays: 1 })).toBe('missing');
        expect(await conflictOf({ kind: 'putMetricFilter', filter: filter('nope', 'f', '') })).toBe('missing');
        expect(await conflictOf({ kind: 'deleteMetricFilter', accountId: ACCOUNT, region: REGION, logGroupName: 'g', filterName: 'f' })).toBe('missing');
        expect(await conflictOf({ kind: 'createLogStream', accountId: ACCOUNT, region: REGION, logGroupName: 'nope', logStreamName: 's', createdAt: NOW })).toBe('missing');
        expect(await conflictOf({ kind: 'putLogEvents', target: target('g', 'no-stream'), events: [{ timestamp: NOW, message: 'x' }], nowMs: NOW })).toBe('missing');
        // A conflict rolls its record back with it.
        expect(await stores.events.lastSeq()).toBe(1);
      });

      it('sets and clears retention; replaces a filter of the same name; deleting a group takes streams, events and filters', async () => {
        await commit({ kind: 'createLogGroup', group: group('g') });
        await commit({ kind: 'setLogGroupRetention', accountId: ACCOUNT, region: REGION, name: 'g', retentionInDays: 30 });
        expect((await stores.logs.group(ACCOUNT, REGION, 'g'))?.retentionInDays).toBe(30);
        await commit({ kind: 'setLogGroupRetention', accountId: ACCOUNT, region: REGION, name: 'g', retentionInDays: null });
        expect((await stores.logs.group(ACCOUNT, REGION, 'g'))?.retentionInDays).toBeUndefined();
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'f', 'ERROR') });
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'f', 'FATAL') });
        expect((await stores.logs.metricFilters(ACCOUNT, REGION, { logGroupName: 'g', limit: 10 })).map((f) => f.filterPattern)).toEqual(['FATAL']);
        await stores.logs.ingest(target('g'), [{ timestamp: NOW, message: 'hello' }], NOW);
        await commit({ kind: 'deleteLogGroup', accountId: ACCOUNT, region: REGION, name: 'g' });
        expect(await stores.logs.group(ACCOUNT, REGION, 'g')).toBeUndefined();
        expect(await stores.rawQuery('SELECT (SELECT COUNT(*) FROM log_streams) + (SELECT COUNT(*) FROM log_events) + (SELECT COUNT(*) FROM metric_filters) AS n')).toEqual([{ n: 0 }]);
      });

      it('re-checks the metric filter quotas at commit: a 101st filter, or a 6th with regular expressions, conflicts', async () => {
        await commit({ kind: 'createLogGroup', group: group('g') });
        for (let i = 0; i < 5; i++) await commit({ kind: 'putMetricFilter', filter: filter('g', `re-${i}`, `%x${i}%`) });
        expect(await conflictOf({ kind: 'putMetricFilter', filter: filter('g', 're-5', '%y%') })).toBe('exists');
        // Replacing one is no new one.
        await commit({ kind: 'putMetricFilter', filter: filter('g', 're-0', '%z%') });
        for (let i = 5; i < 100; i++) await commit({ kind: 'putMetricFilter', filter: filter('g', `f-${i}`, `w${i}`) });
        expect(await conflictOf({ kind: 'putMetricFilter', filter: filter('g', 'f-100', 'w') })).toBe('exists');
        expect((await stores.logs.metricFilters(ACCOUNT, REGION, { logGroupName: 'g', limit: 200 })).length).toBe(100);
      }, 60_000);

      it('putLogEvents stores into an existing stream and adds the metric samples, in the record transaction', async () => {
        await commit({ kind: 'createLogGroup', group: group('g') });
        await commit({ kind: 'createLogStream', accountId: ACCOUNT, region: REGION, logGroupName: 'g', logStreamName: 's', createdAt: NOW });
        expect(await conflictOf({ kind: 'createLogStream', accountId: ACCOUNT, region: REGION, logGroupName: 'g', logStreamName: 's', createdAt: NOW })).toBe('exists');
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'errors', 'ERROR', 'PutErrors') });
        await commit({ kind: 'putLogEvents', target: target('g'), events: [{ timestamp: NOW, message: 'ERROR a' }, { timestamp: NOW + 1, message: 'ok' }], nowMs: NOW + 5 });
        expect((await stores.logs.streamEvents(ACCOUNT, REGION, 'g', 's', { direction: 'forward', limit: 10 })).map((e) => [e.message, e.ingestionTime])).toEqual([
          ['ERROR a', NOW + 5],
          ['ok', NOW + 5],
        ]);
        expect(await metricSum('PutErrors')).toBe(1);
      });
    });

    describe('ingest', () => {
      it('refuses a missing group, makes the stream on first use, and skips events whose dedupeKey it holds', async () => {
        await expect(stores.logs.ingest(target('missing'), [{ timestamp: NOW, message: 'x' }], NOW)).rejects.toBeInstanceOf(LogGroupMissingError);
        await commit({ kind: 'createLogGroup', group: group('g') });
        const batch = [
          { timestamp: NOW - 2000, message: 'one', dedupeKey: 'k1' },
          { timestamp: NOW - 1000, message: 'two', dedupeKey: 'k2' },
        ];
        expect(await stores.logs.ingest(target('g'), batch, NOW)).toEqual({ inserted: 2, metrics: [] });
        expect(await stores.logs.ingest(target('g'), [...batch, { timestamp: NOW, message: 'three', dedupeKey: 'k3' }], NOW + 1)).toEqual({ inserted: 1, metrics: [] });
        expect(await stores.logs.stream(ACCOUNT, REGION, 'g', 's')).toEqual({
          name: 's',
          createdAt: NOW,
          firstEventTimestamp: NOW - 2000,
          lastEventTimestamp: NOW,
          lastIngestionTime: NOW + 1,
          storedBytes: 3 + 3 + 5 + 3 * 26,
        });
        // The same key in another stream is another event.
        expect((await stores.logs.ingest(target('g', 'other'), batch, NOW)).inserted).toBe(2);
      });

      it('adds the samples of every metric filter of the group for the events stored, once each', async () => {
        await commit({ kind: 'createLogGroup', group: group('g') });
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'errors', 'ERROR', 'IngestErrors') });
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'all', '', 'IngestAll') });
        const batch = [
          { timestamp: NOW, message: 'ERROR disk', dedupeKey: 'a' },
          { timestamp: NOW, message: 'fine', dedupeKey: 'b' },
        ];
        const result = await stores.logs.ingest(target('g'), batch, NOW);
        expect(result.inserted).toBe(2);
        expect(result.metrics.map((m) => m.metricName).sort()).toEqual(['IngestAll', 'IngestErrors']);
        await stores.logs.ingest(target('g'), batch, NOW);
        expect(await metricSum('IngestErrors')).toBe(1);
        expect(await metricSum('IngestAll')).toBe(2);
        // A filter put later applies from then on (the writer thread's change is seen by the next ingest).
        await commit({ kind: 'putMetricFilter', filter: filter('g', 'errors', 'fine', 'IngestErrors') });
        await stores.logs.ingest(target('g'), [{ timestamp: NOW, message: 'fine again', dedupeKey: 'c' }], NOW);
        expect(await metricSum('IngestErrors')).toBe(2);
      });
    });

    describe('reads', () => {
      beforeEach(async () => {
        for (const name of ['b', 'a', 'c/x', 'C/y']) await commit({ kind: 'createLogGroup', group: group(name) });
      });

      it('lists groups by name, prefix (case-sensitive), pattern (case-insensitive) and after a name', async () => {
        const names = async (q: Parameters<LogStore['groups']>[2]) => (await stores.logs.groups(ACCOUNT, REGION, q)).map((g) => g.name);
        expect(await names({ limit: 10 })).toEqual(['C/y', 'a', 'b', 'c/x']);
        expect(await names({ prefix: 'c/', limit: 10 })).toEqual(['c/x']);
        expect(await names({ pattern: 'C/', limit: 10 })).toEqual(['C/y', 'c/x']);
        expect(await names({ after: 'a', limit: 2 })).toEqual(['b', 'c/x']);
        expect(await stores.logs.groups('999999999999', REGION, { limit: 10 })).toEqual([]);
        expect(await stores.logs.groups(ACCOUNT, 'eu-west-1', { limit: 10 })).toEqual([]);
      });

      it('orders streams by name or last event time, either way, after a key', async () => {
        await stores.logs.ingest(target('a', 'late'), [{ timestamp: NOW + 10, message: 'x' }], NOW);
        await stores.logs.ingest(target('a', 'early'), [{ timestamp: NOW, message: 'x' }], NOW);
        await stores.logs.ingest(target('a', 'mid'), [{ timestamp: NOW + 5, message: 'x' }], NOW);
        const names = async (q: Parameters<LogStore['streams']>[3]) => (await stores.logs.streams(ACCOUNT, REGION, 'a', q)).map((s) => s.name);
        expect(await names({ orderBy: 'LogStreamName', descending: false, limit: 10 })).toEqual(['early', 'late', 'mid']);
        expect(await names({ orderBy: 'LastEventTime', descending: true, limit: 10 })).toEqual(['late', 'mid', 'early']);
        expect(await names({ orderBy: 'LastEventTime', descending: false, after: { lastEventTimestamp: NOW, name: 'early' }, limit: 10 })).toEqual(['mid', 'late']);
        expect(await names({ orderBy: 'LogStreamName', descending: true, after: { lastEventTimestamp: 0, name: 'late' }, limit: 10 })).toEqual(['early']);
        expect(await names({ orderBy: 'LogStreamName', descending: false, prefix: 'm', limit: 10 })).toEqual(['mid']);
      });

      it('reads a group’s events across streams by time then ingestion, filtered by names or a prefix', async () => {
        await stores.logs.ingest(target('a', 's1'), [{ timestamp: NOW, message: '1a' }, { timestamp: NOW + 2, message: '1b' }], NOW);
        await stores.logs.ingest(target('a', 's2'), [{ timestamp: NOW + 1, message: '2a' }], NOW);
        await stores.logs.ingest(target('a', 'x1'), [{ timestamp: NOW + 1, message: 'xa' }], NOW);
        const messages = async (q: Parameters<LogStore['groupEvents']>[3]) => (await stores.logs.groupEvents(ACCOUNT, REGION, 'a', q)).map((e) => e.message);
        expect(await messages({ limit: 10 })).toEqual(['1a', '2a', 'xa', '1b']);
        expect(await messages({ streamNames: ['s2', 'x1'], limit: 10 })).toEqual(['2a', 'xa']);
        expect(await messages({ streamPrefix: 's', limit: 10 })).toEqual(['1a', '2a', '1b']);
        expect(await messages({ startTime: NOW + 1, endTime: NOW + 2, limit: 10 })).toEqual(['2a', 'xa']);
        const [first] = await stores.logs.groupEvents(ACCOUNT, REGION, 'a', { limit: 1 });
        expect(await messages({ after: { timestamp: first!.timestamp, id: first!.id }, limit: 2 })).toEqual(['2a', 'xa']);
      });
    });

    describe('retention', () => {
      it('purges events older than their group retention only, and shrinks the streams stored bytes', async () => {
        await commit({ kind: 'createLogGroup', group: group('short', { retentionInDays: 1 }) });
        await commit({ kind: 'createLogGroup', group: group('forever') });
        const batch = [
          { timestamp: NOW - 3 * DAY, message: 'old' },
          { timestamp: NOW - DAY / 2, message: 'new' },
        ];
        await stores.logs.ingest(target('short'), batch, NOW);
        await stores.logs.ingest(target('forever'), batch, NOW);
        expect(await stores.logs.purgeExpired(NOW)).toBe(1);
        expect((await stores.logs.streamEvents(ACCOUNT, REGION, 'short', 's', { direction: 'forward', limit: 10 })).map((e) => e.message)).toEqual(['new']);
        expect((await stores.logs.streamEvents(ACCOUNT, REGION, 'forever', 's', { direction: 'forward', limit: 10 })).map((e) => e.message)).toEqual(['old', 'new']);
        expect((await stores.logs.stream(ACCOUNT, REGION, 'short', 's'))?.storedBytes).toBe(3 + 26);
        expect(await stores.logs.purgeExpired(NOW)).toBe(0);
      });
    });

  });
}
