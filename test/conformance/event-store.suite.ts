/**
 * The EventStore contract, as one suite every adapter runs (SQLite now, PostgreSQL later).
 */
import { describe, expect, it } from 'vitest';
import { apiCallRecord } from '../../src/core/api-call-record.js';
import { prepareEvent, prepareRawEvent } from '../../src/core/prepare-event.js';
import type { EventStore, LookupQuery } from '../../src/store/event-store.js';
import { StoreOverloadedError } from '../../src/store/event-store.js';

export interface StoreFactory {
  open(options?: { maxPendingEvents?: number }): Promise<EventStore>;
}

const ACCOUNT = '111122223333';
const T0 = Date.UTC(2026, 10, 1);

export function event(i: number, overrides: { account?: string; region?: string; name?: string; user?: string; timeMs?: number; resources?: { ARN: string; type: string }[] } = {}) {
  return prepareEvent(
    overrides.account ?? ACCOUNT,
    overrides.region ?? 'us-east-1',
    apiCallRecord({
      identity: { type: 'IAMUser', userName: overrides.user ?? 'alice', accessKeyId: 'AKIAEXAMPLE', accountId: ACCOUNT },
      recipientAccountId: overrides.account ?? ACCOUNT,
      region: overrides.region ?? 'us-east-1',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: overrides.name ?? (i % 2 === 0 ? 'LookupEvents' : 'CreateTrail'),
      timeMs: overrides.timeMs ?? T0 + i * 1000,
      sourceIPAddress: '127.0.0.1',
      userAgent: 'test',
      requestParameters: null,
      responseElements: null,
      requestId: `req-${i}`,
      eventId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      readOnly: i % 2 === 0,
      ...(overrides.resources && { resources: overrides.resources }),
    }),
  );
}

export function query(overrides: Partial<LookupQuery> = {}): LookupQuery {
  return { accountId: ACCOUNT, region: 'us-east-1', attributes: [], startMs: 0, endMs: T0 + 10_000_000, insights: false, limit: 1000, ...overrides };
}

export function eventStoreSuite(name: string, factory: StoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    it('assigns increasing seqs and returns events newest first', async () => {
      const store = await factory.open();
      const seqs = (await store.append([event(1), event(2), event(3)])).events.map((e) => e.seq);
      expect(seqs).toHaveLength(3);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const rows = await store.lookup(query());
      expect(rows.map((r) => (JSON.parse(r.json) as { eventID: string }).eventID)).toEqual([3, 2, 1].map((i) => event(i).keys.eventId));
      expect(await store.lastSeq()).toBe(seqs[2]);
      await store.close();
    });

    it('group-commits concurrent appends and answers each with its own seqs', async () => {
      const store = await factory.open();
      const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => store.append([event(i * 2), event(i * 2 + 1)])));
      const all = results.flatMap((r) => r.events.map((e) => e.seq));
      expect(new Set(all).size).toBe(100);
      expect((await store.lookup(query())).length).toBe(100);
      await store.close();
    });

    it('filters by every attribute, ANDs them, and scopes by account and region', async () => {
      const store = await factory.open();
      await store.append([
        event(1, { user: 'bob', name: 'StartLogging', resources: [{ ARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', type: 'AWS::CloudTrail::Trail' }] }),
        event(2, { user: 'alice' }),
        event(3, { account: '999988887777' }),
        event(4, { region: 'eu-west-1' }),
      ]);
      const ids = async (attributes: LookupQuery['attributes']) =>
        (await store.lookup(query({ attributes }))).map((r) => (JSON.parse(r.json) as { requestID: string }).requestID);
      expect(await ids([{ key: 'Username', value: 'bob' }])).toEqual(['req-1']);
      expect(await ids([{ key: 'EventName', value: 'StartLogging' }])).toEqual(['req-1']);
      expect(await ids([{ key: 'ResourceType', value: 'AWS::CloudTrail::Trail' }])).toEqual(['req-1']);
      expect(await ids([{ key: 'ResourceName', value: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t' }])).toEqual(['req-1']);
      expect(await ids([{ key: 'EventId', value: event(2).keys.eventId }])).toEqual(['req-2']);
      expect(await ids([{ key: 'ReadOnly', value: 'true' }])).toEqual(['req-2']);
      expect(await ids([{ key: 'AccessKeyId', value: 'AKIAEXAMPLE' }])).toEqual(['req-2', 'req-1']);
      expect(await ids([{ key: 'EventSource', value: 'cloudtrail.amazonaws.com' }])).toEqual(['req-2', 'req-1']);
      expect(await ids([{ key: 'Username', value: 'bob' }, { key: 'ReadOnly', value: 'true' }])).toEqual([]);
      await store.close();
    });

    it('counts matching events per period, with the filters of a lookup', async () => {
      const store = await factory.open();
      // Events 0..9 at T0 + i s; a 4 s period gives counts 4, 4, 2 from T0.
      await store.append([
        ...Array.from({ length: 10 }, (_, i) => event(i, { user: i % 2 === 0 ? 'bob' : 'alice', resources: [{ ARN: `arn:aws:s3:::b${i % 3}`, type: 'AWS::S3::Bucket' }] })),
        event(20, { account: '999988887777' }),
      ]);
      const { limit: _limit, ...all } = query({ startMs: T0, endMs: T0 + 60_000 });
      expect(await store.volume(all, 4000)).toEqual([
        { startMs: T0, count: 4 },
        { startMs: T0 + 4000, count: 4 },
        { startMs: T0 + 8000, count: 2 },
      ]);
      expect(await store.volume({ ...all, attributes: [{ key: 'Username', value: 'bob' }] }, 60_000)).toEqual([{ startMs: T0, count: 5 }]);
      const driven = [{ key: 'ResourceName' as const, value: 'b0' }, { key: 'Username' as const, value: 'bob' }];
      // b0 is on events 0, 3, 6, 9; bob on the even ones.
      expect(await store.volume({ ...all, attributes: driven }, 60_000)).toEqual([{ startMs: T0, count: 2 }]);
      expect(await store.volume({ ...all, startMs: T0 + 60_000, endMs: T0 + 120_000 }, 1000)).toEqual([]);
      await store.close();
    });

    it('pages by (time, seq) and honours the snapshot bound', async () => {
      const store = await factory.open();
      // Same eventTime for all: ties are broken by seq.
      const seqs = (await store.append(Array.from({ length: 10 }, (_, i) => event(i, { timeMs: T0 })))).events.map((e) => e.seq);
      const page1 = await store.lookup(query({ limit: 4 }));
      const last = page1.at(-1)!;
      await store.append([event(99, { timeMs: T0 })]);
      const page2 = await store.lookup(query({ limit: 100, after: { timeMs: last.timeMs, seq: last.seq }, maxSeq: seqs.at(-1)! }));
      expect(page1.map((r) => r.seq).concat(page2.map((r) => r.seq))).toEqual([...seqs].reverse());
      await store.close();
    });

    it('stores an idempotent event once, in one batch and across batches, per account and region', async () => {
      const store = await factory.open();
      const a = { ...event(1), idempotent: true };
      const sameId = (e: ReturnType<typeof event>) => ({ ...e, keys: { ...e.keys, eventId: a.keys.eventId }, idempotent: true });
      const first = await store.append([a, sameId(event(2)), { ...event(3), idempotent: true }]);
      expect(first.events.map((e) => e.duplicate)).toEqual([false, true, false]);
      expect(first.events[1]!.eventId).toBe(a.keys.eventId);
      const retry = await store.append([sameId(event(4)), sameId(event(5, { region: 'eu-west-1' }))]);
      expect(retry.events.map((e) => e.duplicate)).toEqual([true, false]);
      expect(retry.events[0]).toEqual({ ...first.events[0], duplicate: true });
      expect((await store.lookup(query())).length).toBe(2);
      await store.close();
    });

    it('reads an account\'s log in order from a position, bounded', async () => {
      const store = await factory.open();
      const seqs = (await store.append([event(1), event(2, { account: '999988887777' }), event(3, { region: 'eu-west-1' }), event(4)])).events.map((e) => e.seq);
      const all = await store.readRange(ACCOUNT, 0, undefined, 10);
      expect(all.map((e) => e.seq)).toEqual([seqs[0], seqs[2], seqs[3]]);
      expect(all.map((e) => e.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-1']);
      expect((await store.readRange(ACCOUNT, seqs[0]!, undefined, 1)).map((e) => e.seq)).toEqual([seqs[2]]);
      expect((await store.readRange(ACCOUNT, 0, seqs[2], 10)).map((e) => e.seq)).toEqual([seqs[0], seqs[2]]);
      await store.close();
    });

    it("reads several accounts' log at once, in log order (an organization trail's read)", async () => {
      const store = await factory.open();
      const seqs = (
        await store.append([event(1), event(2, { account: '999988887777' }), event(3, { account: '444455556666', region: 'eu-west-1' }), event(4), event(5, { account: '444455556666' })])
      ).events.map((e) => e.seq);
      const both = await store.readRange([ACCOUNT, '444455556666'], 0, undefined, 10);
      expect(both.map((e) => [e.seq, e.accountId, e.region])).toEqual([
        [seqs[0], ACCOUNT, 'us-east-1'],
        [seqs[2], '444455556666', 'eu-west-1'],
        [seqs[3], ACCOUNT, 'us-east-1'],
        [seqs[4], '444455556666', 'us-east-1'],
      ]);
      expect(both[0]!.timeMs).toBe(T0 + 1000);
      expect((await store.readRange([ACCOUNT, '444455556666'], seqs[0]!, seqs[3], 10)).map((e) => e.seq)).toEqual([seqs[2], seqs[3]]);
      expect((await store.readRange([ACCOUNT, '444455556666'], 0, undefined, 2)).map((e) => e.seq)).toEqual([seqs[0], seqs[2]]);
      expect(await store.readRange([], 0, undefined, 10)).toEqual([]);
      await store.close();
    });

    it('keeps data events in the log for trails, out of the event history, and found by proofs', async () => {
      const store = await factory.open();
      const s3 = (id: string, fields: object) =>
        prepareRawEvent(ACCOUNT, 'us-east-1', JSON.stringify({ eventVersion: '1.08', eventTime: new Date(T0).toISOString(), eventSource: 's3.amazonaws.com', eventName: 'PutObject', awsRegion: 'us-east-1', eventID: id, ...fields }));
      const seqs = (await store.append([s3('data', { eventCategory: 'Data', managementEvent: false }), s3('old-data', { managementEvent: false }), event(1)])).events.map((e) => e.seq);
      expect((await store.lookup(query())).map((r) => r.seq)).toEqual([seqs[2]]);
      expect(await store.lookup(query({ attributes: [{ key: 'EventName', value: 'PutObject' }] }))).toEqual([]);
      expect(await store.lookup(query({ attributes: [{ key: 'EventId', value: 'data' }] }))).toEqual([]);
      expect((await store.lookup(query({ attributes: [{ key: 'EventId', value: 'data' }], includeDataEvents: true }))).map((r) => r.seq)).toEqual([seqs[0]]);
      expect((await store.readRange(ACCOUNT, 0, undefined, 10)).map((e) => e.seq)).toEqual(seqs);
      await store.close();
    });

    it('marks events appended for the history only, so trails read past them', async () => {
      const store = await factory.open();
      const seqs = (await store.append([{ ...event(1), deliverToTrails: false }, event(2)])).events.map((e) => e.seq);
      const entries = await store.readRange(ACCOUNT, 0, undefined, 10);
      expect(entries.map((e) => [e.seq, e.deliverToTrails])).toEqual([
        [seqs[0], false],
        [seqs[1], true],
      ]);
      expect((await store.lookup(query())).length).toBe(2);
      await store.close();
    });

    it('purges only events older than the cutoff', async () => {
      const store = await factory.open();
      await store.append([event(1, { timeMs: T0 - 1 }), event(2, { timeMs: T0 + 1 })]);
      expect(await store.purgeBefore(T0)).toBe(1);
      expect((await store.lookup(query())).length).toBe(1);
      await store.close();
    });

    it('refuses appends beyond the pending bound without storing them', async () => {
      const store = await factory.open({ maxPendingEvents: 5 });
      const first = store.append([event(1), event(2), event(3)]);
      await expect(store.append([event(4), event(5), event(6)])).rejects.toBeInstanceOf(StoreOverloadedError);
      await first;
      expect((await store.lookup(query())).length).toBe(3);
      await store.close();
    });
  });
}
