/**
 * The web console over a large history (run inside the lookup benchmark, on its store and
 * server): a page of the event table, the volume chart (GetEventVolume over the whole retention
 * window) and a streamed CSV download, each through the console's own endpoints with a session,
 * beside the same SQL run directly on SQLite in this process.
 */
import type Database from 'better-sqlite3';
import { request } from 'node:http';
import type { LookupQuery } from '../src/store/event-store.js';
import { buildLookupSql, buildVolumeSql } from '../src/store/sqlite/lookup-sql.js';
import { BENCH_ACCOUNT, USERS } from './support/synthetic.js';
import { ms, summarize, table, timeEach } from './support/stats.js';

const DAY = 86_400_000;
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

interface Answer {
  status: number;
  body: string;
  setCookie?: string;
}

async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(res.headers['set-cookie'] && { setCookie: res.headers['set-cookie'][0] }) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface ConsoleBenchOptions {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  db: Database.Database;
  nowMs: number;
  queries: number;
  events: number;
}

export async function consoleBench(options: ConsoleBenchOptions): Promise<string> {
  const signIn = await send(`${options.url}/console/api/sign-in`, 'POST', { 'content-type': 'application/json' }, JSON.stringify({ accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }));
  if (signIn.status !== 200 || signIn.setCookie === undefined) throw new Error(`console sign-in failed: ${signIn.status} ${signIn.body}`);
  const cookie = signIn.setCookie.split(';')[0]!;
  const csrf = (JSON.parse(signIn.body) as { csrfToken: string }).csrfToken;
  const call = async (target: string, input: unknown) => {
    const answer = await send(`${options.url}/console/api/call`, 'POST', { cookie, 'x-opentrail-csrf': csrf, 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify(input));
    if (answer.status !== 200) throw new Error(`${target}: ${answer.status} ${answer.body}`);
    return answer;
  };
  const range = (): Omit<LookupQuery, 'limit' | 'attributes'> => ({ accountId: BENCH_ACCOUNT, region: 'us-east-1', startMs: options.nowMs - 90 * DAY, endMs: Date.now(), insights: false });
  const rows: string[][] = [];

  const pageDirect = summarize(await timeEach(options.queries, (i) => {
    const { sql, params } = buildLookupSql({ ...range(), attributes: [{ key: 'Username', value: `user-${i % USERS}` }, { key: 'ReadOnly', value: 'true' }], limit: 51 });
    return options.db.prepare(sql).raw().all(...params);
  }));
  const pageConsole = summarize(await timeEach(options.queries, async (i) => call(`${TARGET}.LookupEvents`, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: `user-${i % USERS}` }, { AttributeKey: 'ReadOnly', AttributeValue: 'true' }], MaxResults: 50 })));
  rows.push(['event table page (Username + ReadOnly, 50 rows)', String(options.queries), ms(pageDirect.p50), ms(pageDirect.p99), ms(pageConsole.p50), ms(pageConsole.p99)]);

  const volumeRuns = Math.max(5, Math.floor(options.queries / 20));
  const volumeDirect = summarize(await timeEach(volumeRuns, () => {
    const { sql, params } = buildVolumeSql({ ...range(), attributes: [] }, DAY, Math.floor((options.nowMs - 90 * DAY) / DAY) * DAY);
    return options.db.prepare(sql).raw().all(...params);
  }));
  const volumeConsole = summarize(await timeEach(volumeRuns, async () => call('OpenTrail_20261124.GetEventVolume', {})));
  rows.push([`volume chart, whole 90 days (${options.events.toLocaleString('en-US')} events)`, String(volumeRuns), ms(volumeDirect.p50), ms(volumeDirect.p99), ms(volumeConsole.p50), ms(volumeConsole.p99)]);

  // One user's events: a download of tens of thousands of rows, streamed.
  const filter = [{ AttributeKey: 'Username', AttributeValue: 'user-0' }];
  const readStart = process.hrtime.bigint();
  const { sql, params } = buildLookupSql({ ...range(), attributes: [{ key: 'Username', value: 'user-0' }], limit: 10_000_000 });
  const direct = options.db.prepare(sql).raw().all(...params);
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  const downloadStart = process.hrtime.bigint();
  const csv = await send(`${options.url}/console/api/events/download?format=csv&query=${encodeURIComponent(JSON.stringify({ LookupAttributes: filter }))}`, 'GET', { cookie });
  const downloadSeconds = Number(process.hrtime.bigint() - downloadStart) / 1e9;
  const downloaded = csv.body.split('\r\n').length - 2;
  const perSecond = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} rows/s`;
  return [
    'Web console over the same history (session cookie, /console/api endpoints, each call recorded)',
    table(['operation', 'n', 'SQLite direct p50', 'SQLite direct p99', 'console p50', 'console p99'], rows),
    '',
    table(
      ['CSV download of one user\'s events', 'rows', 'SQLite read of the same rows', 'console download (read, CSV, HTTP)'],
      [['Username = user-0', downloaded.toLocaleString('en-US'), perSecond(direct.length, readSeconds), perSecond(downloaded, downloadSeconds)]],
    ),
  ].join('\n');
}
