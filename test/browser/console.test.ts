/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against a real
 * `opentrail serve`: sign-in and its CloudTrail records, the event history (ANDed filters, the
 * record panel, the CSV download against LookupEvents, the live tail), trails (create, logging),
 * a read-only user refused changes, the session cookie and cross-site refusals, sign-out, and a
 * screenshot of each page (test/browser/screenshots/, to look at).
 *
 * Needs `npm run build` first: the server runs dist/ and serves dist/console.
 */
import {
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, LookupAttribute, LookupEventsCommandInput, Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { eventually } from '../support/log-files.js';
import { removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import type { Key } from './browser.js';
import { seedInsights } from './insights-seed.js';
import { chromiumAvailable, launchBrowser, openConsole, parseCsv, screenshot, signIn, submitSignIn } from './browser.js';

const hasChromium = chromiumAvailable();
// The server admits 20 sign-in attempts a minute from one address: this file makes 17 in all
// (one or two a test), so it never meets the limit however fast it runs. Mind it when adding tests.

const SHARED_TRAIL = 'shared-trail';

let server: ServerProcess;
let browser: Browser;
let sdk: CloudTrailClient;
let reader: Key;
let readOnlyPolicyArn: string;
let readerSdk: CloudTrailClient;
let consoleUrl: string;
let contexts: BrowserContext[] = [];

const admin = (): Key => ({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });

async function open(viewport?: { width: number; height: number }): Promise<Page> {
  const { context, page } = await openConsole(browser, consoleUrl, viewport);
  contexts.push(context);
  return page;
}

/** Every event LookupEvents answers for the input, all pages, newest first. */
async function lookupAll(input: LookupEventsCommandInput): Promise<TrailEvent[]> {
  const events: TrailEvent[] = [];
  let token: string | undefined;
  do {
    const page = await sdk.send(new LookupEventsCommand({ ...input, MaxResults: 50, NextToken: token }));
    events.push(...(page.Events ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return events;
}

function record(event: TrailEvent): Record<string, unknown> {
  return JSON.parse(event.CloudTrailEvent ?? '{}') as Record<string, unknown>;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('the call succeeded');
}

async function isLogging(name: string): Promise<boolean> {
  return (await sdk.send(new GetTrailStatusCommand({ Name: name }))).IsLogging === true;
}

beforeAll(async () => {
  if (!hasChromium) return;
  // The server starts on a directory that already has an Insights event pair (and a trail with insight selectors).
  const seeded = await seedInsights();
  server = await startServer({ ...seeded, args: ['--delivery-interval', '1', '--digest-interval', '2'] });
  consoleUrl = `${server.url}/console/`;
  sdk = cloudTrailClient(server);
  runAdminCli(server.dataDir, 'buckets', 'create', 'console-bucket');

  // A read-only user: Describe*, Get*, List*, Lookup* of CloudTrail and nothing else.
  const iam = new IAMClient(clientOptions(server));
  await iam.send(new CreateUserCommand({ UserName: 'reader' }));
  const policy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'cloudtrail-read-only',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*', 'cloudtrail:Lookup*'], Resource: '*' }],
      }),
    }),
  );
  readOnlyPolicyArn = policy.Policy!.Arn!;
  await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: readOnlyPolicyArn }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
  iam.destroy();
  reader = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  readerSdk = cloudTrailClient(server, reader);

  await sdk.send(new CreateTrailCommand({ Name: SHARED_TRAIL, S3BucketName: 'console-bucket', EnableLogFileValidation: true }));
  await sdk.send(new StartLoggingCommand({ Name: SHARED_TRAIL }));
  // Events to filter: the reader's DescribeTrails (twice) and ListTrails, the admin's DescribeTrails.
  await readerSdk.send(new DescribeTrailsCommand({}));
  await readerSdk.send(new DescribeTrailsCommand({}));
  await readerSdk.send(new ListTrailsCommand({}));
  await sdk.send(new DescribeTrailsCommand({}));

  browser = await launchBrowser();
}, 90_000);

afterEach(async () => {
  for (const context of contexts) await context.close();
  contexts = [];
});

afterAll(async () => {
  await browser?.close();
  sdk?.destroy();
  readerSdk?.destroy();
  await server?.stop();
  if (server !== undefined) removeDir(server.dataDir);
});

describe.skipIf(!hasChromium)('the web console', () => {
  it('signs in with an access key; a wrong secret shows an error; both are recorded as ConsoleLogin', async () => {
    const page = await open();
    await screenshot(page, 'sign-in');
    await submitSignIn(page, { ...admin(), secretAccessKey: 'not-the-secret' });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/AuthFailure/);
    await screenshot(page, 'sign-in-failed');

    // A key id nobody has: recorded too, without naming anyone.
    await submitSignIn(page, { accessKeyId: 'AKIANOBODYHASTHISKEY', secretAccessKey: 'whatever-it-is' });
    await expect.poll(async () => page.getByRole('alert').count()).toBe(1);

    await signIn(page, admin());
    const header = page.locator('header.top');
    expect(await header.textContent()).toContain(server.accountId);

    const logins = await eventually(async () => {
      const events = await lookupAll({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] });
      const records = events.map(record);
      const outcome = (r: Record<string, unknown>) => (r.responseElements as Record<string, unknown> | undefined)?.ConsoleLogin;
      const userName = (r: Record<string, unknown>) => (r.userIdentity as Record<string, unknown> | undefined)?.userName;
      const failure = records.find((r) => outcome(r) === 'Failure' && userName(r) !== 'HIDDEN_DUE_TO_SECURITY_REASONS');
      const nobody = records.find((r) => outcome(r) === 'Failure' && userName(r) === 'HIDDEN_DUE_TO_SECURITY_REASONS');
      const success = records.find((r) => outcome(r) === 'Success');
      return failure !== undefined && nobody !== undefined && success !== undefined ? { failure, nobody, success } : undefined;
    }, 20_000, 'the failed (known and unknown key) and the successful ConsoleLogin');
    expect(logins.nobody).toMatchObject({ eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn', errorMessage: 'Failed authentication' });
    // The wrong secret of a known key is recorded as that key's user.
    expect((logins.failure.userIdentity as Record<string, unknown>).userName).toBe((logins.success.userIdentity as Record<string, unknown>).userName);
    for (const r of [logins.failure, logins.success]) {
      expect(r).toMatchObject({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn' });
    }
    expect(logins.failure.errorMessage).toBe('Failed authentication');
    // The header names who signed in: the ARN the successful record has.
    const arn = (logins.success.userIdentity as Record<string, unknown>).arn;
    expect(typeof arn).toBe('string');
    expect(await header.textContent()).toContain(arn as string);
  });

  it('filters by two attributes at once and opens a record', async () => {
    const attributes: LookupAttribute[] = [
      { AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' },
      { AttributeKey: 'Username', AttributeValue: 'reader' },
    ];
    const expected = await lookupAll({ LookupAttributes: attributes });
    expect(expected.length).toBeGreaterThanOrEqual(2);

    const page = await open();
    await signIn(page, admin());
    await page.locator('tr.row').first().waitFor();
    await page.getByLabel('Value 1').fill('DescribeTrails');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Attribute 2', { exact: true }).selectOption('Username');
    await page.getByLabel('Value 2').fill('reader');
    await page.getByRole('button', { name: 'Search' }).click();

    const rows = page.locator('table.events tbody tr');
    const shownIds = async () => {
      const ids: (string | null)[] = [];
      for (let i = 0; i < (await rows.count()); i++) ids.push(await rows.nth(i).getAttribute('data-event-id'));
      return ids;
    };
    await expect.poll(shownIds).toEqual(expected.map((e) => e.EventId));
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
      expect(cells[1]).toBe('DescribeTrails');
      expect(cells[2]).toBe('reader');
    }
    await screenshot(page, 'events');

    await rows.first().focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog');
    await panel.waitFor();
    const json = JSON.parse((await panel.locator('pre.json').textContent()) ?? '') as Record<string, unknown>;
    expect(json).toMatchObject({ eventID: expected[0]!.EventId, eventName: 'DescribeTrails', userIdentity: { userName: 'reader' } });
    await screenshot(page, 'record-panel', false);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  it("downloads the filter's events as CSV, the same events LookupEvents answers", async () => {
    const page = await open();
    await signIn(page, admin());
    await page.getByLabel('Value 1').fill('DescribeTrails');
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: 'Download CSV' });
    await expect.poll(async () => link.getAttribute('href')).toContain('DescribeTrails');
    const href = (await link.getAttribute('href'))!;
    const query = JSON.parse(new URL(href, consoleUrl).searchParams.get('query')!) as LookupEventsCommandInput & { StartTime: number; EndTime: number };
    expect(query.LookupAttributes).toEqual([{ AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' }]);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    const [head, ...rows] = parseCsv(readFileSync(path, 'utf8')).filter((r) => r.length > 1);
    expect(head).toEqual(['Event time', 'Event name', 'User name', 'Event source', 'Resource type', 'Resource name', 'Error code', 'Read only', 'AWS access key', 'Event ID', 'Source IP address', 'AWS region']);

    const expected = await lookupAll({ LookupAttributes: query.LookupAttributes, StartTime: new Date(query.StartTime * 1000), EndTime: new Date(query.EndTime * 1000) });
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => r[9])).toEqual(expected.map((e) => e.EventId));
    expect(rows.map((r) => r[1])).toEqual(expected.map(() => 'DescribeTrails'));
    expect(rows.map((r) => r[2])).toEqual(expected.map((e) => e.Username));

    // The JSON download: the same events, as full records.
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download JSON' }).click()]);
    const { Records } = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as { Records: Record<string, unknown>[] };
    expect(Records.map((r) => r.eventID)).toEqual(expected.map((e) => e.EventId));
    expect(Records.map((r) => r.eventName)).toEqual(expected.map(() => 'DescribeTrails'));
  });

  it('pages 50 events at a time with Load more over an absolute range, the same events LookupEvents answers', async () => {
    const page = await open();
    await signIn(page, admin());
    // A range that ended an hour ago holds the seeded calls (hundreds) and nothing new can join it.
    const local = (ms: number) => {
      const d = new Date(ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
    await page.getByLabel('Range', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(local(Date.now() - 5 * 3600_000));
    await page.getByLabel('To', { exact: true }).fill(local(Date.now() - 3600_000));
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: 'Download CSV' });
    await expect.poll(async () => (JSON.parse(new URL((await link.getAttribute('href'))!, consoleUrl).searchParams.get('query')!) as { EndTime: number }).EndTime).toBeLessThan(Date.now() / 1000 - 3000);
    const query = JSON.parse(new URL((await link.getAttribute('href'))!, consoleUrl).searchParams.get('query')!) as { StartTime: number; EndTime: number };
    const range = { StartTime: new Date(query.StartTime * 1000), EndTime: new Date(query.EndTime * 1000), MaxResults: 50 };
    const first = await sdk.send(new LookupEventsCommand(range));
    const second = await sdk.send(new LookupEventsCommand({ ...range, NextToken: first.NextToken }));
    const expected = [...first.Events!, ...second.Events!].map((e) => e.EventId);
    expect(expected).toHaveLength(100);

    const rows = page.locator('table.events tbody tr');
    const shownIds = async () => {
      const ids: (string | null)[] = [];
      for (let i = 0; i < (await rows.count()); i++) ids.push(await rows.nth(i).getAttribute('data-event-id'));
      return ids;
    };
    await expect.poll(shownIds).toEqual(expected.slice(0, 50));
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(shownIds).toEqual(expected);
    await page.getByText('100 events shown').waitFor();
  });

  it('live tail: a call made with the SDK appears at the top, marked new', async () => {
    const page = await open();
    await signIn(page, admin());
    await page.getByLabel('Live tail').check();
    await page.getByText('Watching for new events').waitFor();
    await sdk.send(new GetTrailStatusCommand({ Name: SHARED_TRAIL }));
    const fresh = page.locator('table.events tbody tr.new', { hasText: 'GetTrailStatus' });
    await fresh.first().waitFor();
    expect(await page.locator('table.events tbody tr').first().getAttribute('class')).toContain('new');
    expect(await fresh.first().textContent()).toContain('New');
  });

  it('creates a trail: an invalid name shows the API message, a valid one is created and its logging stopped', async () => {
    const badName = 'bad name!';
    const apiError = await errorOf(sdk.send(new CreateTrailCommand({ Name: badName, S3BucketName: 'console-bucket' })));

    const page = await open();
    await signIn(page, admin());
    await page.getByRole('link', { name: 'Trails' }).click();
    await page.locator(`[data-trail="${SHARED_TRAIL}"]`).waitFor();
    await page.getByRole('button', { name: 'Create trail' }).click();
    await page.getByLabel('Trail name').fill(badName);
    await page.getByLabel('S3 bucket').fill('console-bucket');
    await page.getByRole('button', { name: 'Create trail' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`${apiError.name}: ${apiError.message}`);

    await page.getByLabel('Trail name').fill('console-trail');
    await page.getByLabel('S3 key prefix (optional)').fill('web');
    await page.getByLabel('Log file validation').check();
    await page.getByRole('button', { name: 'Create trail' }).click();
    await page.getByRole('heading', { name: 'console-trail' }).waitFor();
    await page.getByText('Logging off').waitFor();
    await page.getByRole('button', { name: 'Start logging' }).click();
    await page.getByText('Logging on').waitFor();
    expect(await isLogging('console-trail')).toBe(true);
    await page.getByRole('button', { name: 'Stop logging' }).click();
    await page.getByText('Logging off').waitFor();
    expect(await isLogging('console-trail')).toBe(false);

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    await screenshot(page, 'trail-edit');
    await page.getByRole('link', { name: '← Trails' }).click();
    await page.locator('[data-trail="console-trail"]').waitFor();
    expect(await page.locator('[data-trail="console-trail"]').textContent()).toContain('Logging off');
    await screenshot(page, 'trails');
  });

  it('a read-only user sees the trails but cannot stop or delete one: the AccessDenied message is shown', async () => {
    const stopError = await errorOf(readerSdk.send(new StopLoggingCommand({ Name: SHARED_TRAIL })));
    expect(stopError.name).toBe('AccessDeniedException');

    const page = await open();
    await signIn(page, reader);
    await page.getByRole('link', { name: 'Trails' }).click();
    await page.getByRole('link', { name: SHARED_TRAIL }).click();
    await page.getByText('Logging on').waitFor();
    await page.getByRole('button', { name: 'Stop logging' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^AccessDenied/);
    expect(await alert.textContent()).toContain('cloudtrail:StopLogging');
    expect(await isLogging(SHARED_TRAIL)).toBe(true);

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete trail' }).click();
    await expect.poll(async () => alert.textContent()).toContain('cloudtrail:DeleteTrail');
    expect((await sdk.send(new DescribeTrailsCommand({ trailNameList: [SHARED_TRAIL] }))).trailList).toHaveLength(1);
  });

  it("edits a trail's event and insight selectors; PutEventSelectors' own validation message is shown", async () => {
    const trail = 'selectors-trail';
    await sdk.send(new CreateTrailCommand({ Name: trail, S3BucketName: 'console-bucket' }));
    const bad = [{ Name: 'bogus', FieldSelectors: [{ Field: 'noSuchField', Equals: ['x'] }] }];
    const apiError = await errorOf(sdk.send(new PutEventSelectorsCommand({ TrailName: trail, AdvancedEventSelectors: bad })));

    const page = await open();
    await signIn(page, admin());
    await page.goto(`${consoleUrl}#/trails/${trail}`);
    await page.getByRole('heading', { name: trail }).waitFor();
    const selectors = page.locator('section[aria-labelledby="selectors-title"]');
    await expect.poll(async () => selectors.getByRole('button', { name: 'Save event selectors' }).isEnabled()).toBe(true);

    // Basic: write-only management events and an S3 data resource.
    await selectors.getByLabel('Read/write type').selectOption('WriteOnly');
    await selectors.getByRole('button', { name: 'Add data resource' }).click();
    await selectors.getByLabel('Values (one a line, e.g. arn:aws:s3:::bucket/)').fill('arn:aws:s3:::console-bucket/');
    await selectors.getByRole('button', { name: 'Save event selectors' }).click();
    await selectors.getByText('Event selectors saved.').waitFor();
    expect((await sdk.send(new GetEventSelectorsCommand({ TrailName: trail }))).EventSelectors).toMatchObject([
      { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::console-bucket/'] }] },
    ]);

    // Advanced: what the API refuses is shown as it answered.
    await selectors.getByLabel('Advanced event selectors (JSON)').check();
    await selectors.getByLabel('Advanced event selectors', { exact: true }).fill(JSON.stringify(bad));
    await selectors.getByRole('button', { name: 'Save event selectors' }).click();
    await expect.poll(async () => selectors.getByRole('alert').textContent()).toBe(`${apiError.name}: ${apiError.message}`);
    await selectors.getByLabel('Advanced event selectors', { exact: true }).fill('not json');
    await selectors.getByRole('button', { name: 'Save event selectors' }).click();
    await expect.poll(async () => selectors.getByRole('alert').textContent()).toMatch(/^The advanced event selectors are not JSON/);

    const insights = page.locator('section[aria-labelledby="insight-selectors-title"]');
    await insights.getByLabel('API call rate (ApiCallRateInsight)').check();
    await insights.getByRole('button', { name: 'Save insight selectors' }).click();
    await insights.getByText('Insight selectors saved.').waitFor();
    expect((await sdk.send(new GetInsightSelectorsCommand({ TrailName: trail }))).InsightSelectors).toMatchObject([{ InsightType: 'ApiCallRateInsight' }]);
    await screenshot(page, 'trail-selectors');
  });

  it('the region switcher: another region shows its own trails (a multi-region trail as its shadow)', async () => {
    const page = await open();
    await signIn(page, admin());
    await page.getByRole('link', { name: 'Trails' }).click();
    await page.locator(`[data-trail="${SHARED_TRAIL}"]`).waitFor();
    await page.getByLabel('Region', { exact: true }).selectOption('eu-west-1');
    // insights-trail is multi-region (home us-east-1); shared-trail is not.
    const shadow = page.locator('[data-trail="insights-trail"]');
    await shadow.waitFor();
    expect(await shadow.textContent()).toContain('us-east-1');
    expect(await page.locator(`[data-trail="${SHARED_TRAIL}"]`).count()).toBe(0);
    const europe = cloudTrailClient(server, { region: 'eu-west-1' });
    const expected = (await europe.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList!.map((t) => t.Name);
    europe.destroy();
    const shown = page.locator('[data-trail]');
    const names: (string | null)[] = [];
    for (let i = 0; i < (await shown.count()); i++) names.push(await shown.nth(i).getAttribute('data-trail'));
    expect(names).toEqual(expected);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, and cross-site requests change nothing', async () => {
    const page = await open();
    await signIn(page, admin());
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'opentrail-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    const cookie = `opentrail-session=${session!.value}`;
    const { csrfToken } = (await (await fetch(`${server.url}/console/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    const stopCall = async (headers: Record<string, string>) =>
      fetch(`${server.url}/console/api/call`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.StopLogging', ...headers },
        body: JSON.stringify({ Name: SHARED_TRAIL }),
      });

    // Marked cross-site by the browser: refused even with the cookie and the token.
    const crossSite = await stopCall({ 'x-opentrail-csrf': csrfToken, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ __type: 'CrossSiteRequest' });
    // Whatever the method: a cross-site GET of the session (its CSRF token) is refused too.
    const crossSiteGet = await fetch(`${server.url}/console/api/session`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSiteGet.status).toBe(403);
    expect(await crossSiteGet.json()).toMatchObject({ __type: 'CrossSiteRequest' });
    // Without the CSRF token, or with another one.
    const noToken = await stopCall({});
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ __type: 'InvalidCsrfToken' });
    expect((await stopCall({ 'x-opentrail-csrf': 'x'.repeat(csrfToken.length) })).status).toBe(403);
    expect(await isLogging(SHARED_TRAIL)).toBe(true);

    // A page of another site (localhost is not 127.0.0.1's site) posting with credentials: 'include'.
    const evil = await serveEvilPage(`${server.url}/console/api/call`);
    try {
      const evilPage = await page.context().newPage();
      const answered = evilPage.waitForResponse((r) => r.url().endsWith('/console/api/call'));
      await evilPage.goto(evil.url);
      expect([401, 403]).toContain((await answered).status());
      await evilPage.getByText('attempted').waitFor();
    } finally {
      await evil.close();
    }
    expect(await isLogging(SHARED_TRAIL)).toBe(true);
    // The console's pages carry the security headers; an unknown path is the app (its routes can be bookmarked).
    for (const path of ['/console/', '/console/trails/some-trail']) {
      const html = await fetch(`${server.url}${path}`);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'self'(;|$)/);
      expect(html.headers.get('x-frame-options')).toBe('DENY');
      expect(html.headers.get('x-content-type-options')).toBe('nosniff');
      expect(html.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await html.text()).toContain('<div id="app">');
    }
    // The console's own session still works.
    const ok = await stopCall({ 'x-opentrail-csrf': csrfToken, 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus' });
    expect(ok.status).toBe(200);
  });

  it('sign-out ends the session: the API answers NotSignedIn afterwards', async () => {
    const page = await open();
    await signIn(page, admin());
    const session = (await page.context().cookies()).find((c) => c.name === 'opentrail-session')!;
    const cookie = `opentrail-session=${session.value}`;
    const { csrfToken } = (await (await fetch(`${server.url}/console/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key ID').waitFor();

    const after = await fetch(`${server.url}/console/api/call`, {
      method: 'POST',
      headers: { cookie, 'x-opentrail-csrf': csrfToken, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails' },
      body: '{}',
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ __type: 'NotSignedIn' });
    expect((await fetch(`${server.url}/console/api/session`, { headers: { cookie } })).status).toBe(401);
    // Reloading shows the sign-in form.
    await page.reload();
    await page.getByLabel('Access key ID').waitFor();
  });

  it('a session ended elsewhere sends the page back to the sign-in form (the live tail ends)', async () => {
    const page = await open();
    await signIn(page, admin());
    await page.getByLabel('Live tail').check();
    await page.getByText('Watching for new events').waitFor();
    // Sign the same session out from outside the page.
    const session = (await page.context().cookies()).find((c) => c.name === 'opentrail-session')!;
    const cookie = `opentrail-session=${session.value}`;
    const { csrfToken } = (await (await fetch(`${server.url}/console/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    expect((await fetch(`${server.url}/console/api/sign-out`, { method: 'POST', headers: { cookie, 'x-opentrail-csrf': csrfToken } })).status).toBeLessThan(300);
    await page.getByLabel('Access key ID').waitFor();
  });

  // docs/console.md: a session ends as soon as its key is deactivated or deleted, and the tail
  // ends with `event: end` when the session does, before it sends anything more.
  it('a live tail stops at once when its session signs out (no events after)', async () => {
    const session = await apiSignIn(reader);
    const stream = await openTail(session.cookie);
    expect((await fetch(`${server.url}/console/api/sign-out`, { method: 'POST', headers: { cookie: session.cookie, 'x-opentrail-csrf': session.csrfToken } })).status).toBeLessThan(300);
    await sdk.send(new ListTrailsCommand({}));
    expect(await stream.firstOf(['end', 'events'])).toBe('end');
  });

  it('a live tail stops when its access key is deactivated (no events after)', async () => {
    const iam = new IAMClient(clientOptions(server));
    await iam.send(new CreateUserCommand({ UserName: 'tailer' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'tailer', PolicyArn: readOnlyPolicyArn }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'tailer' }))).AccessKey!;
    const session = await apiSignIn({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const stream = await openTail(session.cookie);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'tailer', AccessKeyId: key.AccessKeyId!, Status: 'Inactive' }));
    iam.destroy();
    // The session itself is gone at once (its next call says so)...
    expect((await fetch(`${server.url}/console/api/session`, { headers: { cookie: session.cookie } })).status).toBe(401);
    // ...and its tail sends no more of the account's events.
    await sdk.send(new ListTrailsCommand({}));
    expect(await stream.firstOf(['end', 'events'])).toBe('end');
  });

  it('insights and integrity pages: the digest chains, and a validation run with its result', async () => {
    const page = await open();
    await signIn(page, admin());
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { name: 'Insights' }).waitFor();
    // The seeded pair: a Start and an End of RemoveTags' call rate, with their averages.
    const rows = page.locator('section[aria-label="Insights events"] tbody tr');
    await expect.poll(async () => rows.count()).toBe(2);
    const cells = (await rows.first().locator('td').allTextContents()).map((t) => t.trim());
    expect(cells.slice(1, 5)).toEqual(['End', 'cloudtrail.amazonaws.com', 'RemoveTags', 'ApiCallRateInsight']);
    expect(Number(cells[5])).toBeGreaterThanOrEqual(0);
    expect(Number(cells[6])).toBeGreaterThan(Number(cells[5]));
    await rows.nth(1).focus();
    await page.keyboard.press('Enter');
    const chart = page.locator('section[aria-label="Insight rate"] svg');
    await chart.locator('polyline').waitFor();
    expect(await chart.locator('line.baseline').count()).toBe(1);
    // The burst's 25 calls a minute are the peak of the line.
    expect(await chart.getAttribute('aria-label')).toMatch(/peak 25\b/);
    await screenshot(page, 'insights');

    // The shared trail has log file validation: once it delivered a digest, its chain is listed.
    await eventually(async () => {
      await page.getByRole('link', { name: 'Integrity' }).click();
      const section = page.locator(`section[data-trail="${SHARED_TRAIL}"]`);
      await section.waitFor();
      await section.locator('table, p.muted:has-text("No digest chains yet"), p.error').first().waitFor();
      if ((await section.locator('table tbody tr').count()) > 0) return true;
      await page.getByRole('link', { name: 'Event history' }).click();
      await page.getByRole('heading', { name: 'Event history' }).waitFor();
      return undefined;
    }, 30_000, "the shared trail's digest chain");
    const section = page.locator(`section[data-trail="${SHARED_TRAIL}"]`);
    const chain = await section.locator('table tbody tr').first().textContent();
    expect(chain).toContain(server.accountId);
    expect(chain).toContain('us-east-1');

    // What the progress bar showed along the way (a MutationObserver keeps the largest total it saw).
    await page.evaluate(`(() => {
      window.progressTotal = 0;
      new MutationObserver(() => {
        for (const p of document.querySelectorAll('progress')) window.progressTotal = Math.max(window.progressTotal, Number(p.getAttribute('max')) || 0);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await section.getByRole('button', { name: 'Validate' }).click();
    const result = section.locator('.result, p.error').first();
    await result.waitFor({ timeout: 60_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toMatch(/Digests: [1-9]\d* valid, 0 invalid\. Log files: [1-9]\d* valid, 0 invalid\./);
    expect(text).toMatch(/Outside the range: digests \d+ valid, 0 invalid; log files \d+ valid, 0 invalid\./);
    expect(text).toContain('Valid: every digest and log file checks out.');
    expect(await page.evaluate('window.progressTotal')).toBeGreaterThan(1);
    await screenshot(page, 'integrity');
  });

  it('the event history is readable at 390 px: the table scrolls inside its card', async () => {
    const page = await open({ width: 390, height: 844 });
    await signIn(page, admin());
    await page.locator('table.events tbody tr').first().waitFor();
    await screenshot(page, 'events-390', false);
    const overflow = await page.evaluate('({ doc: document.documentElement.scrollWidth, view: window.innerWidth })');
    expect(overflow).toMatchObject({ view: 390 });
    expect((overflow as { doc: number }).doc).toBeLessThanOrEqual(390);
    const wrap = await page.evaluate("(() => { const el = document.querySelector('.table-wrap'); return { scroll: el.scrollWidth, client: el.clientWidth }; })()");
    expect((wrap as { scroll: number; client: number }).scroll).toBeGreaterThan((wrap as { client: number }).client);
  });
});

/** Signs in over the console API (not the form): the session cookie and its CSRF token. */
async function apiSignIn(key: Key): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${server.url}/console/api/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key) });
  expect(response.status).toBe(200);
  const cookie = /opentrail-session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** A live tail read as server-sent events; firstOf resolves the name of the first of those events to come (bounded: 25 s, past one heartbeat). */
async function openTail(cookie: string): Promise<{ firstOf: (names: string[]) => Promise<string | undefined> }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/console/api/events/tail?query=${encodeURIComponent('{}')}`, { headers: { cookie }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async firstOf(names) {
      const deadline = setTimeout(() => controller.abort(), 25_000);
      try {
        for (;;) {
          const found = /^event: (\S+)$/m.exec(text);
          if (found !== null && names.includes(found[1]!)) return found[1];
          if (found !== null) text = text.slice(found.index + found[0].length);
          const { value, done } = await reader.read();
          if (done) return undefined;
          text += decoder.decode(value, { stream: true });
        }
      } catch {
        return undefined;
      } finally {
        clearTimeout(deadline);
        controller.abort();
      }
    },
  };
}

/** A page on another site (http://localhost:<port>) that POSTs to the console with the browser's credentials. */
async function serveEvilPage(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const html = `<!doctype html><title>elsewhere</title><p id="out">trying</p><script>
fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ Name: ${JSON.stringify(SHARED_TRAIL)} }) })
  .finally(() => { document.getElementById('out').textContent = 'attempted'; });
</script>`;
  const evil: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const { port } = evil.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: async () => {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    },
  };
}
