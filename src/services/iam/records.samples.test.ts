/**
 * Our IAM records against real ones: for the calls the shared CloudTrail samples hold
 * (CreateUser, CreateAccessKey, CreatePolicy, CreateRole, PutRolePolicy, AttachUserPolicy, ...),
 * the same members in requestParameters and responseElements, with values of the same form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, samplesAvailable, sampleText } from '../../../test/support/samples.js';
import { HARNESS_ACCOUNT, openIamHarness } from '../../../test/support/iam-harness.js';
import type { IamHarness } from '../../../test/support/iam-harness.js';

const available = samplesAvailable();

/** The first successful real record of each IAM event name. */
function realRecords(): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const file of sampleFiles()) {
    const parsed = JSON.parse(sampleText(file)) as unknown;
    const records = (Array.isArray(parsed) ? parsed : ((parsed as { Records?: unknown[] }).Records ?? [])) as Record<string, unknown>[];
    for (const r of records) {
      if (r.eventSource === 'iam.amazonaws.com' && r.errorCode === undefined && !found.has(String(r.eventName))) found.set(String(r.eventName), r);
    }
  }
  return found;
}

/** Member names, recursively, with the value kinds: what "the same shape" means here. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  if (typeof value === 'string' && /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/.test(value)) return 'date';
  return typeof value;
}

/**
 * What the real records carry that these calls do not: permissions boundaries (refused by
 * OpenTrail) and a description (not given here).
 */
function withoutUnsupported(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'permissionsBoundary' && k !== 'description')
      .map(([k, v]) => [k, withoutUnsupported(v)]),
  );
}

describe.skipIf(!available)('IAM records like the real ones', () => {
  let iam: IamHarness;
  let real: Map<string, Record<string, unknown>>;
  let ours: Map<string, Record<string, unknown>>;
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HARNESS_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }] });

  beforeAll(async () => {
    real = realRecords();
    iam = await openIamHarness();
    await iam.call('CreateUser', { UserName: 'u', Tags: [{ Key: 'k', Value: 'v' }] });
    await iam.call('CreateAccessKey', { UserName: 'u' });
    await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: doc });
    await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
    await iam.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: doc });
    await iam.call('CreatePolicy', { PolicyName: 'mp', Path: '/', PolicyDocument: doc, Tags: [{ Key: 'k', Value: 'v' }] });
    await iam.call('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trust });
    await iam.call('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    await iam.call('DeleteRole', { RoleName: 'r' });
    ours = new Map((await iam.records()).map((r) => [String(r.eventName), r]));
  });

  afterAll(async () => {
    await iam?.close();
  });

  for (const name of ['CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'CreateRole', 'PutRolePolicy', 'CreatePolicy', 'UpdateAssumeRolePolicy', 'DeleteRolePolicy', 'DeleteRole']) {
    it(name, () => {
      const theirs = real.get(name);
      if (theirs === undefined) throw new Error(`the samples hold no successful ${name}`);
      const mine = ours.get(name)!;
      expect(mine).toMatchObject({ eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', eventType: 'AwsApiCall', readOnly: false, managementEvent: true });
      expect(shapeOf(withoutUnsupported(mine.requestParameters))).toEqual(shapeOf(withoutUnsupported(theirs.requestParameters)));
      expect(shapeOf(mine.responseElements)).toEqual(shapeOf(withoutUnsupported(theirs.responseElements)));
    });
  }
});
