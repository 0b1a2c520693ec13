import { describe, expect, it } from 'vitest';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../../services/cloudtrail/model.gen.js';
import { samplesAvailable, sampleFiles, sampleText } from '../../../test/support/samples.js';
import type { CloudTrailRecord } from '../record.js';
import { DEFAULT_SELECTORS } from './config.js';
import type { SelectorConfig } from './config.js';
import { selects } from './select.js';

// ---------------------------------------------------------------------------------------------
// Fixtures: trimmed copies of the shapes real CloudTrail writes (the CloudTrail User Guide, 'CloudTrail record contents'), one per kind of event.

const ACCOUNT = '123456789012';
const alice = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' };
const role = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`, accountId: ACCOUNT };

function record(fields: Partial<CloudTrailRecord>): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: alice,
    eventTime: '2026-01-31T12:00:00Z',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    eventID: `id-${String(fields.eventName ?? fields.eventCategory)}`,
    ...fields,
  };
}

const api = { eventType: 'AwsApiCall', recipientAccountId: ACCOUNT };
const management = { ...api, managementEvent: true, eventCategory: 'Management' };
const data = { ...api, managementEvent: false, eventCategory: 'Data' };

const describeTrails = record({ ...management, eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails', readOnly: true });
const createUser = record({ ...management, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false, userIdentity: role });
const kmsDecrypt = record({
  ...management,
  eventSource: 'kms.amazonaws.com',
  eventName: 'Decrypt',
  readOnly: true,
  resources: [{ ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`, accountId: ACCOUNT, type: 'AWS::KMS::Key' }],
});
const rdsDataExecute = record({ ...management, eventSource: 'rdsdata.amazonaws.com', eventName: 'ExecuteStatement', readOnly: false });
const consoleLogin = record({
  ...management,
  eventType: 'AwsConsoleSignIn',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  readOnly: false,
  responseElements: { ConsoleLogin: 'Success' },
});
const deniedFromConsole = record({
  ...management,
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketPolicy',
  readOnly: false,
  errorCode: 'AccessDenied',
  sessionCredentialFromConsole: 'true',
  vpcEndpointId: 'vpce-0abc',
  resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::app-data' }],
});
const s3GetObject = record({
  ...data,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  readOnly: true,
  resources: [
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::app-data/reports/2026/q1.csv' },
    { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::app-data' },
  ],
});
const s3PutSecret = record({
  ...data,
  eventSource: 's3.amazonaws.com',
  eventName: 'PutObject',
  readOnly: false,
  resources: [
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::secret-store/keys/k1' },
    { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::secret-store' },
  ],
});
// Bucket-level S3 data events name the objects by prefix (as in the OTRF sample).
const s3ListObjects = record({
  ...data,
  eventVersion: '1.07',
  eventSource: 's3.amazonaws.com',
  eventName: 'ListObjects',
  readOnly: true,
  resources: [
    { type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::app-data/' },
    { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::app-data' },
  ],
});
const ORDERS_FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;
const lambdaInvoke = record({
  ...data,
  eventSource: 'lambda.amazonaws.com',
  eventName: 'Invoke',
  readOnly: false,
  resources: [{ accountId: ACCOUNT, type: 'AWS::Lambda::Function', ARN: ORDERS_FUNCTION }],
});
const ORDERS_TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
const dynamoGetItem = record({
  ...data,
  eventSource: 'dynamodb.amazonaws.com',
  eventName: 'GetItem',
  readOnly: true,
  resources: [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: ORDERS_TABLE }],
});
const s3ExpressGet = record({
  ...data,
  eventSource: 's3express.amazonaws.com',
  eventName: 'GetObject',
  readOnly: true,
  resources: [{ type: 'AWS::S3Express::Object', ARN: 'arn:aws:s3express:us-east-1:123456789012:bucket/b--use1-az4--x-s3/k' }],
});
const networkActivity = record({
  eventType: 'AwsVpceEvent',
  managementEvent: false,
  eventCategory: 'NetworkActivity',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'ListTrails',
  readOnly: true,
  errorCode: 'VpceAccessDenied',
  vpcEndpointId: 'vpce-0abc',
});
const insight: CloudTrailRecord = {
  eventVersion: '1.08',
  eventTime: '2026-01-31T12:00:00Z',
  awsRegion: 'us-east-1',
  eventID: 'insight-1',
  eventType: 'AwsCloudTrailInsight',
  eventCategory: 'Insight',
  recipientAccountId: ACCOUNT,
  insightDetails: { state: 'Start', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', insightType: 'ApiCallRateInsight' },
};
// A channel event (PutAuditEvents): the caller's fields sit inside eventData, not at the top.
const custom: CloudTrailRecord = {
  eventVersion: '1.11',
  eventTime: '2026-01-31T12:00:00Z',
  awsRegion: 'us-east-1',
  eventID: 'custom-1',
  eventCategory: 'ActivityAuditLog',
  eventType: 'ActivityLog',
  recipientAccountId: ACCOUNT,
  eventData: { version: '1.0', eventSource: 'payments.example.com', eventName: 'ApproveRefund', userIdentity: { type: 'CustomUser', principalId: 'u1' } },
};
// eventVersion 1.05: no eventCategory, managementEvent or readOnly.
const legacy: CloudTrailRecord = {
  eventVersion: '1.05',
  userIdentity: alice,
  eventTime: '2020-09-14T00:44:23Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'DescribeInstances',
  awsRegion: 'us-east-1',
  eventID: 'legacy-1',
  eventType: 'AwsApiCall',
};

const ALL = {
  describeTrails,
  createUser,
  kmsDecrypt,
  rdsDataExecute,
  consoleLogin,
  deniedFromConsole,
  s3GetObject,
  s3PutSecret,
  s3ListObjects,
  lambdaInvoke,
  dynamoGetItem,
  s3ExpressGet,
  networkActivity,
  insight,
  custom,
  legacy,
};
type Name = keyof typeof ALL;
const NAMES = Object.keys(ALL) as Name[];

const basic = (...selectors: EventSelector[]): SelectorConfig => ({ kind: 'basic', selectors });
const advanced = (...selectors: AdvancedEventSelector[]): SelectorConfig => ({ kind: 'advanced', selectors });
const fields = (...FieldSelectors: AdvancedFieldSelector[]): AdvancedEventSelector => ({ FieldSelectors });
const category = (value: string): AdvancedFieldSelector => ({ Field: 'eventCategory', Equals: [value] });

/** Each case lists exactly the fixtures the config selects; every other fixture must not be selected. */
function expectSelected(config: SelectorConfig, expected: Name[]): void {
  const selected = NAMES.filter((name) => selects(config, ALL[name]));
  expect(selected.sort()).toEqual([...expected].sort());
}

const MANAGEMENT: Name[] = ['describeTrails', 'createUser', 'kmsDecrypt', 'rdsDataExecute', 'consoleLogin', 'deniedFromConsole', 'legacy'];
const READ_MANAGEMENT: Name[] = ['describeTrails', 'kmsDecrypt'];
const WRITE_MANAGEMENT: Name[] = ['createUser', 'rdsDataExecute', 'consoleLogin', 'deniedFromConsole'];

// ---------------------------------------------------------------------------------------------

describe('basic event selectors', () => {
  it.each<[string, SelectorConfig, Name[]]>([
    ['the default: all management events and custom events, nothing else', DEFAULT_SELECTORS, [...MANAGEMENT, 'custom']],
    ['an empty selector means the defaults', basic({}), [...MANAGEMENT, 'custom']],
    ['no selectors select nothing', basic(), []],
    ['ReadOnly: read management events only (legacy has no readOnly)', basic({ ReadWriteType: 'ReadOnly' }), [...READ_MANAGEMENT, 'custom']],
    ['WriteOnly: write management events only', basic({ ReadWriteType: 'WriteOnly' }), [...WRITE_MANAGEMENT, 'custom']],
    ['IncludeManagementEvents false and no data resources: nothing', basic({ IncludeManagementEvents: false }), []],
    [
      'ExcludeManagementEventSources kms drops KMS events only',
      basic({ ExcludeManagementEventSources: ['kms.amazonaws.com'] }),
      [...MANAGEMENT.filter((name) => name !== 'kmsDecrypt'), 'custom'],
    ],
    [
      'ExcludeManagementEventSources kms and rdsdata',
      basic({ ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }),
      [...MANAGEMENT.filter((name) => name !== 'kmsDecrypt' && name !== 'rdsDataExecute'), 'custom'],
    ],
    [
      'S3 arn:aws:s3 selects every S3 object data event, with management events',
      basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }),
      [...MANAGEMENT, 'custom', 's3GetObject', 's3PutSecret', 's3ListObjects'],
    ],
    [
      'S3 arn:aws:s3::: (older spelling) also selects every bucket',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] }),
      ['s3GetObject', 's3PutSecret', 's3ListObjects'],
    ],
    [
      'S3 bucket prefix selects that bucket, ListObjects included via ARNPrefix',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::app-data/'] }] }),
      ['s3GetObject', 's3ListObjects'],
    ],
    [
      'S3 object key prefix selects objects under it; bucket-wide ListObjects is not under it',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::app-data/reports/'] }] }),
      ['s3GetObject'],
    ],
    [
      'S3 prefix of another bucket selects nothing here',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::app-data-2/'] }] }),
      [],
    ],
    [
      'S3 data events with ReadOnly',
      basic({ ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }),
      ['s3GetObject', 's3ListObjects'],
    ],
    [
      'S3 data events with WriteOnly',
      basic({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }),
      ['s3PutSecret'],
    ],
    [
      'data resources never select management events, even ones that carry S3 resources',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3', 'arn:aws:s3:::app-data/'] }] }),
      ['s3GetObject', 's3PutSecret', 's3ListObjects'],
    ],
    [
      'Lambda arn:aws:lambda selects every function',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }),
      ['lambdaInvoke'],
    ],
    [
      'Lambda function ARN matches exactly',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: [ORDERS_FUNCTION] }] }),
      ['lambdaInvoke'],
    ],
    [
      'Lambda function ARN is not a prefix',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: [ORDERS_FUNCTION.slice(0, -1)] }] }),
      [],
    ],
    [
      'DynamoDB arn:aws:dynamodb selects every table',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }] }),
      ['dynamoGetItem'],
    ],
    [
      'DynamoDB table ARN matches exactly, not as a prefix',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [ORDERS_TABLE, `${ORDERS_TABLE}X`, ORDERS_TABLE.slice(0, -1)] }] }),
      ['dynamoGetItem'],
    ],
    [
      'a value of one type does not select resources of another',
      basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:s3', ORDERS_TABLE] }] }),
      [],
    ],
    [
      'any selector matching is enough (selectors are ORed)',
      basic(
        { ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }] },
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] },
        { ReadWriteType: 'WriteOnly', ExcludeManagementEventSources: ['rdsdata.amazonaws.com'] },
      ),
      ['dynamoGetItem', 'lambdaInvoke', 'createUser', 'consoleLogin', 'deniedFromConsole', 'custom'],
    ],
  ])('%s', (_name, config, expected) => {
    expectSelected(config, expected);
  });

  it('never selects network activity, Insights or S3 Express data events, whatever the selectors', () => {
    const everything = basic(
      { DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }, { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] },
      { DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }] },
    );
    expectSelected(everything, NAMES.filter((name) => !['networkActivity', 'insight', 's3ExpressGet'].includes(name)));
  });

  it('selects custom events whatever the ReadWriteType, and not without management events', () => {
    for (const ReadWriteType of ['All', 'ReadOnly', 'WriteOnly'] as const) {
      expect(selects(basic({ ReadWriteType }), custom)).toBe(true);
      expect(selects(basic({ ReadWriteType, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }), custom)).toBe(false);
    }
  });

  it('reads readOnly written as a string', () => {
    expect(selects(basic({ ReadWriteType: 'ReadOnly' }), { ...createUser, readOnly: 'true' as unknown as boolean })).toBe(true);
    expect(selects(basic({ ReadWriteType: 'WriteOnly' }), { ...createUser, readOnly: 'true' as unknown as boolean })).toBe(false);
  });

  it('DEFAULT_SELECTORS cannot be changed by accident', () => {
    expect(() => (DEFAULT_SELECTORS.selectors as EventSelector[]).push({})).toThrow(TypeError);
    expect(() => {
      (DEFAULT_SELECTORS.selectors[0] as EventSelector).IncludeManagementEvents = false;
    }).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------

describe('advanced event selectors', () => {
  it.each<[string, SelectorConfig, Name[]]>([
    ['eventCategory Management: every management event, legacy included', advanced(fields(category('Management'))), MANAGEMENT],
    ['eventCategory Data alone (matching does not require resources.type)', advanced(fields(category('Data'))), ['s3GetObject', 's3PutSecret', 's3ListObjects', 'lambdaInvoke', 'dynamoGetItem', 's3ExpressGet']],
    ['eventCategory NetworkActivity', advanced(fields(category('NetworkActivity'), { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] })), ['networkActivity']],
    ['eventCategory ActivityAuditLog: custom events (OpenTrail extension)', advanced(fields(category('ActivityAuditLog'))), ['custom']],
    ['readOnly Equals true on management', advanced(fields(category('Management'), { Field: 'readOnly', Equals: ['true'] })), READ_MANAGEMENT],
    ['readOnly Equals false on management (legacy has no readOnly)', advanced(fields(category('Management'), { Field: 'readOnly', Equals: ['false'] })), WRITE_MANAGEMENT],
    [
      'eventSource NotEquals kms and rdsdata',
      advanced(fields(category('Management'), { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] })),
      MANAGEMENT.filter((name) => name !== 'kmsDecrypt' && name !== 'rdsDataExecute'),
    ],
    ['eventName Equals: any value', advanced(fields(category('Management'), { Field: 'eventName', Equals: ['CreateUser', 'ConsoleLogin', 'Nope'] })), ['createUser', 'consoleLogin']],
    ['eventName StartsWith', advanced(fields(category('Management'), { Field: 'eventName', StartsWith: ['Describe'] })), ['describeTrails', 'legacy']],
    ['eventName EndsWith', advanced(fields(category('Management'), { Field: 'eventName', EndsWith: ['Statement', 'Login'] })), ['rdsDataExecute', 'consoleLogin']],
    [
      'eventName NotStartsWith: none of the values',
      advanced(fields(category('Management'), { Field: 'eventName', NotStartsWith: ['Describe', 'Create'] })),
      ['kmsDecrypt', 'rdsDataExecute', 'consoleLogin', 'deniedFromConsole'],
    ],
    ['eventName NotEndsWith', advanced(fields(category('Management'), { Field: 'eventName', NotEndsWith: ['s', 'r', 't', 'y'] })), ['consoleLogin']],
    [
      'several operators in one field selector must all hold',
      advanced(fields(category('Management'), { Field: 'eventName', StartsWith: ['D', 'C'], NotEndsWith: ['s'], NotEquals: ['CreateUser'] })),
      ['kmsDecrypt', 'consoleLogin'],
    ],
    ['eventType Equals AwsConsoleSignIn', advanced(fields(category('Management'), { Field: 'eventType', Equals: ['AwsConsoleSignIn'] })), ['consoleLogin']],
    ['errorCode Equals (absent on successful calls)', advanced(fields(category('Management'), { Field: 'errorCode', Equals: ['AccessDenied'] })), ['deniedFromConsole']],
    [
      'errorCode NotEquals holds where errorCode is absent',
      advanced(fields(category('Management'), { Field: 'errorCode', NotEquals: ['AccessDenied'] })),
      MANAGEMENT.filter((name) => name !== 'deniedFromConsole'),
    ],
    ['errorCode NotStartsWith on network activity', advanced(fields(category('NetworkActivity'), { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] }, { Field: 'errorCode', NotStartsWith: ['Vpce'] })), []],
    ['vpcEndpointId StartsWith', advanced(fields(category('NetworkActivity'), { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] }, { Field: 'vpcEndpointId', StartsWith: ['vpce-'] })), ['networkActivity']],
    ['sessionCredentialFromConsole Equals true', advanced(fields(category('Management'), { Field: 'sessionCredentialFromConsole', Equals: ['true'] })), ['deniedFromConsole']],
    ['userIdentity.arn StartsWith an assumed role', advanced(fields(category('Management'), { Field: 'userIdentity.arn', StartsWith: [`arn:aws:sts::${ACCOUNT}:assumed-role/`] })), ['createUser']],
    ['userIdentity.arn NotEquals holds for a record without userIdentity', advanced(fields(category('Insight'), { Field: 'userIdentity.arn', NotEquals: ['x'] })), ['insight']],
    ['userIdentity.arn Equals fails for a record without userIdentity', advanced(fields(category('Insight'), { Field: 'userIdentity.arn', EndsWith: [''] })), []],
    [
      'resources.type Equals: S3 objects',
      advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] })),
      ['s3GetObject', 's3PutSecret', 's3ListObjects'],
    ],
    [
      'resources.ARN StartsWith a bucket: ListObjects matches by its ARNPrefix',
      advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::app-data/'] })),
      ['s3GetObject', 's3ListObjects'],
    ],
    [
      'resources.ARN NotStartsWith applies to the resource of resources.type, not to the bucket beside it',
      advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::secret-store/'] })),
      ['s3GetObject', 's3ListObjects'],
    ],
    [
      'resources.ARN Equals an exact function',
      advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }, { Field: 'resources.ARN', Equals: [ORDERS_FUNCTION] })),
      ['lambdaInvoke'],
    ],
    [
      'resources.ARN EndsWith',
      advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }, { Field: 'resources.ARN', EndsWith: ['/Orders'] })),
      ['dynamoGetItem'],
    ],
    ['resources.type of a type basic selectors cannot reach', advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3Express::Object'] })), ['s3ExpressGet']],
    [
      'resources.* on a record without resources compare as absent (NotEquals holds, Equals fails)',
      advanced(fields(category('Management'), { Field: 'resources.type', NotEquals: ['AWS::KMS::Key'] })),
      MANAGEMENT.filter((name) => name !== 'kmsDecrypt'),
    ],
    [
      'data events, S3 reads only, in two selectors ORed with management writes',
      advanced(
        fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['true'] }),
        fields(category('Management'), { Field: 'readOnly', Equals: ['false'] }),
      ),
      ['s3GetObject', 's3ListObjects', ...WRITE_MANAGEMENT],
    ],
    ['an Insight selector is never valid, but an Insight record has eventCategory Insight', advanced(fields(category('Insight'))), ['insight']],
    ['no selectors select nothing', advanced(), []],
  ])('%s', (_name, config, expected) => {
    expectSelected(config, expected);
  });

  it('custom events are not selected by any other category, nor by fields inside eventData', () => {
    for (const value of ['Management', 'Data', 'NetworkActivity']) expect(selects(advanced(fields(category(value))), custom)).toBe(false);
    const byInnerSource = advanced(fields(category('ActivityAuditLog'), { Field: 'eventSource', Equals: ['payments.example.com'] }));
    expect(selects(byInnerSource, custom)).toBe(false);
  });

  it('matches case-sensitively and without wildcards', () => {
    expect(selects(advanced(fields(category('management'))), describeTrails)).toBe(false);
    expect(selects(advanced(fields(category('Management'), { Field: 'eventName', Equals: ['Describe*'] })), describeTrails)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe.skipIf(!samplesAvailable())('selectors on real CloudTrail records', () => {
  const records = (): CloudTrailRecord[] =>
    sampleFiles().flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CloudTrailRecord[] }).Records);

  /** Written out plainly: a management event says so, or is too old to say anything (and so is no data event). */
  const isManagement = (r: CloudTrailRecord): boolean =>
    r.eventCategory === 'Management' || (r.eventCategory === undefined && (r.managementEvent === true || r.managementEvent === undefined));

  it('the default selects exactly the management events', () => {
    const all = records();
    const mismatches = all.filter((r) => selects(DEFAULT_SELECTORS, r) !== isManagement(r)).map((r) => r.eventID);
    expect(mismatches).toEqual([]);
    // Both answers occur, so the comparison says something.
    expect(all.some((r) => selects(DEFAULT_SELECTORS, r))).toBe(true);
    expect(all.some((r) => r.eventCategory === 'Data' && !selects(DEFAULT_SELECTORS, r))).toBe(true);
  });

  it('an all-S3 data resource adds exactly the S3 data events, ListObjects included', () => {
    const config = basic({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] });
    const all = records();
    const selected = all.filter((r) => selects(config, r));
    expect(selected.map((r) => r.eventID)).toEqual(all.filter((r) => r.eventCategory === 'Data' && r.eventSource === 's3.amazonaws.com').map((r) => r.eventID));
    expect(selected.some((r) => r.eventName === 'ListObjects')).toBe(true);
  });

  it('advanced Management equals the default; advanced S3 Data equals the S3 data events', () => {
    const all = records();
    const management = advanced(fields(category('Management')));
    expect(all.filter((r) => selects(management, r) !== selects(DEFAULT_SELECTORS, r))).toEqual([]);
    const s3 = advanced(fields(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }));
    expect(all.filter((r) => selects(s3, r)).length).toBe(all.filter((r) => r.eventCategory === 'Data' && r.eventSource === 's3.amazonaws.com').length);
  });
});
