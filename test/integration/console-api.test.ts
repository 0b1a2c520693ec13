/**
 * The web console's server side over real HTTP, against a real `opentrail serve` process: sign-in
 * and its ConsoleLogin records, the cookie and the cross-site and CSRF checks, calls through the
 * pipeline (validation messages and policies as for SDK calls), the streamed download checked
 * against LookupEvents, the live tail, GetEventVolume, and a validation run with progress.
 * The browser's view of the same is in test/browser/.
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { BIN, removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: ServerProcess;
let base: string;

async function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
  view: Record<string, unknown>;
}

async function signIn(accessKeyId: string, secretAccessKey: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send('POST', '/console/api/sign-in', {
    headers: { 'content-type': 'application/json', 'user-agent': 'console-test', ...headers },
    body: JSON.stringify({ accessKeyId, secretAccessKey }),
  });
}

async function session(accessKeyId = server.accessKeyId, secretAccessKey = server.secretAccessKey): Promise<Session> {
  const answer = await signIn(accessKeyId, secretAccessKey);
  expect(answer.status, answer.body).toBe(200);
  const setCookie = String(answer.headers['set-cookie']);
  const view = JSON.parse(answer.body) as Record<string, unknown>;
  return { cookie: setCookie.split(';')[0]!, csrf: String(view.csrfToken), setCookie, view };
}

async function call(s: Session, operation: string, input: unknown, extra: Record<string, string> = {}, target = `${TARGET}.${operation}`): Promise<Answer> {
  return send('POST', '/console/api/call', {
    headers: { cookie: s.cookie, 'x-opentrail-csrf': s.csrf, 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1', 'user-agent': 'console-test', ...extra },
    body: JSON.stringify(input),
  });
}

async function consoleLogins(): Promise<Record<string, unknown>[]> {
  const client = cloudTrailClient(server);
  const page = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] }));
  return (page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
}

async function allLookup(attributes: LookupAttribute[]): Promise<string[]> {
  const client = cloudTrailClient(server);
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new LookupEventsCommand({ LookupAttributes: attributes, NextToken }));
    ids.push(...(page.Events ?? []).map((e) => e.EventId!));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return ids;
}

beforeAll(async () => {
  server = await startServer({ args: ['--delivery-interval', '1', '--digest-interval', '2'] });
  base = server.url;
  const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', 'console-bucket', '--data-dir', server.dataDir], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
});

afterAll(async () => {
  await server?.stop();
  if (server !== undefined) removeDir(server.dataDir);
});

describe('console sign-in', () => {
  it('records a wrong secret as a failed ConsoleLogin of that user, and answers no cookie', async () => {
    const answer = await signIn(server.accessKeyId, 'not-the-secret');
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'AuthFailure' });
    expect(answer.headers['set-cookie']).toBeUndefined();
    const failed = (await consoleLogins()).find((r) => (r.responseElements as { ConsoleLogin?: string }).ConsoleLogin === 'Failure');
    expect(failed).toMatchObject({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      errorMessage: 'Failed authentication',
      userAgent: 'console-test',
      readOnly: false,
      managementEvent: true,
      additionalEventData: { MobileVersion: 'No', MFAUsed: 'No' },
      userIdentity: { type: 'IAMUser', userName: 'admin', accountId: server.accountId },
    });
  });

  it('records a key nobody has as HIDDEN_DUE_TO_SECURITY_REASONS', async () => {
    expect((await signIn('AKIANOBODYHASTHIS000', 'whatever')).status).toBe(401);
    const hidden = (await consoleLogins()).find((r) => (r.userIdentity as { userName?: string }).userName === 'HIDDEN_DUE_TO_SECURITY_REASONS');
    expect(hidden).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, recipientAccountId: server.accountId });
  });

  it('opens a session with an HttpOnly, SameSite=Strict cookie and records the success', async () => {
    const s = await session();
    expect(s.setCookie).toMatch(/^opentrail-session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\/console; Max-Age=43200$/);
    expect(s.view).toMatchObject({ accountId: server.accountId, userName: 'admin', accessKeyId: server.accessKeyId, region: 'us-east-1' });
    const ok = (await consoleLogins()).find((r) => (r.responseElements as { ConsoleLogin?: string }).ConsoleLogin === 'Success');
    expect(ok).toMatchObject({ userIdentity: { userName: 'admin' }, additionalEventData: { LoginTo: `${base}/console/` } });
    expect((ok!.userIdentity as Record<string, unknown>).accessKeyId).toBeUndefined();
  });

  it('answers malformed and oversize sign-ins with clear errors, recording nothing', async () => {
    const before = (await consoleLogins()).length;
    const bad = await send('POST', '/console/api/sign-in', { headers: { 'content-type': 'application/json' }, body: '{"accessKeyId": ' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ __type: 'ValidationException' });
    const wrongType = await send('POST', '/console/api/sign-in', { body: JSON.stringify({ accessKeyId: 5, secretAccessKey: [] }) });
    expect(JSON.parse(wrongType.body)).toMatchObject({ __type: 'ValidationException' });
    const big = await send('POST', '/console/api/sign-in', { body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect((await consoleLogins()).length).toBe(before);
  });

  it('signs out: the cookie no longer works', async () => {
    const s = await session();
    expect((await send('GET', '/console/api/session', { headers: { cookie: s.cookie } })).status).toBe(200);
    const out = await send('POST', '/console/api/sign-out', { headers: { cookie: s.cookie, 'x-opentrail-csrf': s.csrf } });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await send('GET', '/console/api/session', { headers: { cookie: s.cookie } });
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body)).toMatchObject({ __type: 'NotSignedIn' });
  });
});

describe('console requests', () => {
  it('refuses cross-site requests and calls without the CSRF token', async () => {
    const s = await session();
    const crossSite = await send('GET', '/console/api/session', { headers: { cookie: s.cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body)).toMatchObject({ __type: 'CrossSiteRequest' });
    const otherOrigin = await call(s, 'StopLogging', { Name: 'x' }, { origin: 'http://evil.example' });
    expect(JSON.parse(otherOrigin.body)).toMatchObject({ __type: 'CrossSiteRequest' });
    const noToken = await call(s, 'DescribeTrails', {}, { 'x-opentrail-csrf': 'guess' });
    expect(noToken.status).toBe(403);
    expect(JSON.parse(noToken.body)).toMatchObject({ __type: 'InvalidCsrfToken' });
    const noCookie = await send('POST', '/console/api/call', { headers: { 'x-amz-target': `${TARGET}.DescribeTrails` }, body: '{}' });
    expect(noCookie.status).toBe(401);
  });

  it('carries calls through the pipeline: the API validation message, then the change, recorded as the user', async () => {
    const s = await session();
    const invalid = await call(s, 'CreateTrail', { Name: 'bad name!', S3BucketName: 'console-bucket' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ __type: 'InvalidTrailNameException' });
    const created = await call(s, 'CreateTrail', { Name: 'console-trail', S3BucketName: 'console-bucket' });
    expect(created.status, created.body).toBe(200);
    expect(JSON.parse(created.body)).toMatchObject({ Name: 'console-trail' });
    const [record] = await allLookup([{ AttributeKey: 'EventName', AttributeValue: 'CreateTrail' }]).then(async (ids) =>
      (await cloudTrailClient(server).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: ids[0]! }] }))).Events ?? [],
    );
    expect(JSON.parse(record!.CloudTrailEvent!)).toMatchObject({
      userIdentity: { userName: 'admin' },
      userAgent: 'console-test',
      requestParameters: { name: 'console-trail' },
      sessionCredentialFromConsole: 'true',
    });
    const unknown = await call(s, 'CreateUser', {}, {}, 'AWSOrganizationsV20161128.ListAccounts');
    expect(unknown.status).toBe(400);
  });

  it('applies policies: a read-only user sees trails but cannot change them; a deactivated key ends its session', async () => {
    const iam = new IAMClient({ ...clientOptions(server), region: 'us-east-1' });
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'auditor',
        PolicyName: 'read-only',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*', 'cloudtrail:Lookup*'], Resource: '*' }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }))).AccessKey!;
    const s = await session(key.AccessKeyId, key.SecretAccessKey);
    const trails = JSON.parse((await call(s, 'DescribeTrails', {})).body) as { trailList: { Name: string }[] };
    expect(trails.trailList.map((t) => t.Name)).toContain('console-trail');
    const stop = await call(s, 'StopLogging', { Name: 'console-trail' });
    expect(stop.status).toBe(400);
    expect(JSON.parse(stop.body)).toMatchObject({ __type: 'AccessDeniedException' });
    expect((JSON.parse(stop.body) as { message: string }).message).toContain('cloudtrail:StopLogging');
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'auditor', AccessKeyId: key.AccessKeyId!, Status: 'Inactive' }));
    expect((await call(s, 'DescribeTrails', {})).status).toBe(401);
  });

  it('serves the built console with its security headers, and nothing outside it', async () => {
    const page = await send('GET', '/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    for (const path of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/..%2fpackage.json']) {
      const answer = await send('GET', path);
      expect(answer.body).not.toContain('"name": "opentrail"');
    }
    expect((await send('GET', '/console')).status).toBe(301);
  });
});

describe('console streams and history operations', () => {
  it('downloads everything a two-attribute filter matches as CSV and JSON, as LookupEvents pages it', async () => {
    const s = await session();
    // More than one LookupEvents page (50) and more than one download page would be slow; 60 is enough for paging.
    const client = cloudTrailClient(server);
    for (let i = 0; i < 60; i++) await client.send(new StartLoggingCommand({ Name: 'console-trail' }));
    const attributes = [
      { AttributeKey: 'EventName', AttributeValue: 'StartLogging' },
      { AttributeKey: 'Username', AttributeValue: 'admin' },
    ] as const;
    const expected = await allLookup([...attributes]);
    expect(expected.length).toBeGreaterThanOrEqual(60);
    const query = encodeURIComponent(JSON.stringify({ LookupAttributes: attributes }));
    const csv = await send('GET', `/console/api/events/download?format=csv&query=${query}`, { headers: { cookie: s.cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="event-history-us-east-1-\d{8}T\d{6}Z\.csv"$/);
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe('Event time,Event name,User name,Event source,Resource type,Resource name,Error code,Read only,AWS access key,Event ID,Source IP address,AWS region');
    expect(rows.slice(1).map((r) => r.split(',')[9])).toEqual(expected);
    const json = await send('GET', `/console/api/events/download?format=json&query=${query}`, { headers: { cookie: s.cookie } });
    expect((JSON.parse(json.body) as { Records: { eventID: string }[] }).Records.map((r) => r.eventID)).toEqual(expected);
    const volume = JSON.parse((await call(s, 'GetEventVolume', { LookupAttributes: attributes }, {}, 'OpenTrail_20261124.GetEventVolume')).body) as {
      Period: number;
      Buckets: { Count: number }[];
    };
    expect(volume.Period).toBe(86_400);
    expect(volume.Buckets.reduce((n, b) => n + b.Count, 0)).toBe(expected.length);
    const bad = await send('GET', `/console/api/events/download?format=csv&query=${encodeURIComponent('{"LookupAttributes":[{"AttributeKey":"Nope","AttributeValue":"x"}]}')}`, {
      headers: { cookie: s.cookie },
    });
    expect(JSON.parse(bad.body)).toMatchObject({ __type: 'InvalidLookupAttributesException' });
  });

  it('tails: a call made after the stream opened arrives as a server-sent event, filtered', async () => {
    const s = await session();
    const query = encodeURIComponent(JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetTrailStatus' }] }));
    const received = new Promise<string>((resolve, reject) => {
      const req = request(`${base}/console/api/events/tail?query=${query}`, { headers: { cookie: s.cookie } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('event: events')) {
            req.destroy();
            resolve(text);
          }
        });
        // Opened: now make the calls, one that matches and one that does not.
        void (async () => {
          const client = cloudTrailClient(server);
          await client.send(new LookupEventsCommand({ MaxResults: 1 }));
          await call(s, 'GetTrailStatus', { Name: 'console-trail' });
        })().catch(reject);
      });
      req.on('error', (error) => (String(error).includes('socket hang up') ? undefined : reject(error)));
      req.end();
    });
    const text = await received;
    const data = JSON.parse(/event: events\ndata: (.*)\n/.exec(text)![1]!) as { EventName: string }[];
    expect(data.map((e) => e.EventName)).toEqual(['GetTrailStatus']);
  });

  it('validates a trail with progress, after ListDigestChains shows its chain', async () => {
    const s = await session();
    const client = cloudTrailClient(server);
    const trail = await client.send(new CreateTrailCommand({ Name: 'validated', S3BucketName: 'console-bucket', S3KeyPrefix: 'validated', EnableLogFileValidation: true }));
    await client.send(new StartLoggingCommand({ Name: 'validated' }));
    const startTime = Math.floor(Date.now() / 1000) - 60;
    // Digests every 2 s: wait for the chain to hold one with a log file in it.
    let chains: { DigestCount: number; TreeSize?: number }[] = [];
    for (let i = 0; i < 100 && !chains.some((c) => c.DigestCount >= 2 && (c.TreeSize ?? 0) > 0); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const answer = JSON.parse((await call(s, 'ListDigestChains', { TrailARN: trail.TrailARN }, {}, 'OpenTrail_20261124.ListDigestChains')).body) as {
        DigestChains: typeof chains;
      };
      chains = answer.DigestChains;
    }
    expect(chains[0]).toMatchObject({ Region: 'us-east-1', Active: true });
    const answer = await send('GET', `/console/api/validate?trailArn=${encodeURIComponent(trail.TrailARN!)}&startTime=${startTime}`, { headers: { cookie: s.cookie } });
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(answer.body).toContain('event: progress');
    const result = JSON.parse(/event: result\ndata: (.*)\n/.exec(answer.body)![1]!) as { ok: boolean; digests: { valid: number }; report: string };
    expect(result.ok, result.report).toBe(true);
    expect(result.digests.valid).toBeGreaterThan(0);
    const missing = await send('GET', `/console/api/validate?trailArn=${encodeURIComponent(trail.TrailARN!.replace('validated', 'nope'))}&startTime=${startTime}`, {
      headers: { cookie: s.cookie },
    });
    expect(JSON.parse(missing.body)).toMatchObject({ __type: 'TrailNotFoundException' });
  });
});
