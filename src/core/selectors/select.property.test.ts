import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../../services/cloudtrail/model.gen.js';
import type { CloudTrailRecord } from '../record.js';
import { ADVANCED_FIELDS, DEFAULT_SELECTORS, OPERATORS } from './config.js';
import { selects } from './select.js';
import { validateSelectorInput } from './validate.js';

// ---------------------------------------------------------------------------------------------
// A naive reference, written straight from the rules (index.ts, basic.ts, advanced.ts) without
// sharing any code with the implementation. Records are treated as plain JSON.

type Json = Record<string, unknown>;

function refBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function refResources(r: Json): Json[] {
  return Array.isArray(r.resources) ? (r.resources as Json[]) : [];
}

/** The record's category: its eventCategory, else what the older fields imply. */
function refCategory(r: Json): string | undefined {
  if (typeof r.eventCategory === 'string') return r.eventCategory;
  if (r.eventType === 'AwsCloudTrailInsight') return 'Insight';
  const management = refBoolean(r.managementEvent);
  if (management === undefined) return 'Management';
  if (management) return 'Management';
  return refResources(r).length > 0 ? 'Data' : undefined;
}

function refArn(resource: Json): string | undefined {
  if (typeof resource.ARN === 'string') return resource.ARN;
  if (typeof resource.ARNPrefix === 'string') return resource.ARNPrefix;
  return undefined;
}

function refBasic(selectors: EventSelector[], r: Json): boolean {
  const category = refCategory(r);
  const readOnly = refBoolean(r.readOnly);
  for (const s of selectors) {
    const rw = s.ReadWriteType ?? 'All';
    const rwOk = rw === 'All' || (rw === 'ReadOnly' && readOnly === true) || (rw === 'WriteOnly' && readOnly === false);
    const includeManagement = s.IncludeManagementEvents ?? true;
    const excluded = (s.ExcludeManagementEventSources ?? []).some((source) => source === r.eventSource);
    if (category === 'Management' && includeManagement && rwOk && !excluded) return true;
    if (category === 'ActivityAuditLog' && includeManagement) return true;
    if (category !== 'Data' || !rwOk) continue;
    for (const dataResource of s.DataResources ?? []) {
      for (const resource of refResources(r)) {
        const arn = refArn(resource);
        if (dataResource.Type === undefined || resource.type !== dataResource.Type || arn === undefined) continue;
        for (const value of dataResource.Values ?? []) {
          const serviceWide = ['arn:aws:s3', 'arn:aws:lambda', 'arn:aws:dynamodb'].includes(value);
          if (serviceWide && arn.startsWith(value + ':')) return true;
          if (!serviceWide && dataResource.Type === 'AWS::S3::Object' && arn.startsWith(value)) return true;
          if (!serviceWide && dataResource.Type !== 'AWS::S3::Object' && arn === value) return true;
        }
      }
    }
  }
  return false;
}

function refText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function refValue(field: string, r: Json, resource: Json): string | undefined {
  if (field === 'eventCategory') return refCategory(r);
  if (field === 'readOnly') return refText(refBoolean(r.readOnly));
  if (field === 'userIdentity.arn') return refText((r.userIdentity as Json | undefined)?.arn);
  if (field === 'resources.type') return refText(resource.type);
  if (field === 'resources.ARN') return refArn(resource);
  return refText(r[field]);
}

function refHolds(fs: AdvancedFieldSelector, value: string | undefined): boolean {
  const is = (expected: string) => value !== undefined && value === expected;
  const starts = (expected: string) => value !== undefined && value.startsWith(expected);
  const ends = (expected: string) => value !== undefined && value.endsWith(expected);
  if (fs.Equals && !fs.Equals.some(is)) return false;
  if (fs.StartsWith && !fs.StartsWith.some(starts)) return false;
  if (fs.EndsWith && !fs.EndsWith.some(ends)) return false;
  if (fs.NotEquals?.some(is)) return false;
  if (fs.NotStartsWith?.some(starts)) return false;
  if (fs.NotEndsWith?.some(ends)) return false;
  return true;
}

/** One resource at a time (or one empty resource), every condition of the selector against it. */
function refAdvanced(selectors: AdvancedEventSelector[], r: Json): boolean {
  const candidates = refResources(r).length > 0 ? refResources(r) : [{}];
  return selectors.some((selector) => candidates.some((resource) => selector.FieldSelectors.every((fs) => refHolds(fs, refValue(fs.Field, r, resource)))));
}

// ---------------------------------------------------------------------------------------------
// Generators. Small pools, so that selectors and records actually meet.

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const ARNS = [
  'arn:aws:s3:::app-data/reports/q1.csv',
  'arn:aws:s3:::app-data/',
  'arn:aws:s3:::app-data',
  'arn:aws:s3:::app-data-2/x',
  'arn:aws:lambda:us-east-1:123456789012:function:orders',
  'arn:aws:lambda:us-east-1:123456789012:function:orders-v2',
  'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
  'arn:aws:kms:us-east-1:123456789012:key/1',
];
const RESOURCE_TYPES = ['AWS::S3::Object', 'AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::KMS::Key'];
const SOURCES = ['s3.amazonaws.com', 'kms.amazonaws.com', 'rdsdata.amazonaws.com', 'iam.amazonaws.com', 'cloudtrail.amazonaws.com'];
const NAMES = ['GetObject', 'PutObject', 'ListObjects', 'Invoke', 'Decrypt', 'CreateUser', 'DescribeTrails'];
const BOOLEANISH: unknown[] = [true, false, 'true', 'false', 'yes', 1, null];

/** Real-looking resources (type and ARN that belong together), or any mix of the pools. */
const resource: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::app-data/reports/q1.csv' },
    { type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::app-data/' },
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::app-data-2/x' },
    { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::app-data', accountId: '123456789012' },
    { type: 'AWS::Lambda::Function', ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders' },
    { type: 'AWS::Lambda::Function', ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders-v2' },
    { type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders' },
  ),
  fc.record(
    { type: fc.constantFrom(...RESOURCE_TYPES), ARN: fc.constantFrom(...ARNS), ARNPrefix: fc.constantFrom(...ARNS), accountId: fc.constant('123456789012') },
    { requiredKeys: [] },
  ),
);

const recordArb: fc.Arbitrary<CloudTrailRecord> = fc
  .record(
    {
      // Management and Data twice as often: they are what most selectors are about.
      eventCategory: fc.constantFrom('Management', 'Management', 'Data', 'Data', 'NetworkActivity', 'Insight', 'ActivityAuditLog', 'ConfigurationItem'),
      managementEvent: fc.constantFrom(...BOOLEANISH),
      readOnly: fc.constantFrom(...BOOLEANISH),
      eventSource: fc.constantFrom(...SOURCES),
      eventName: fc.constantFrom(...NAMES),
      eventType: fc.constantFrom('AwsApiCall', 'AwsServiceEvent', 'AwsConsoleSignIn', 'AwsVpceEvent', 'AwsCloudTrailInsight', 'ActivityLog'),
      errorCode: fc.constantFrom('AccessDenied', 'ThrottlingException', 'VpceAccessDenied'),
      vpcEndpointId: fc.constantFrom('vpce-1', 'vpce-2'),
      sessionCredentialFromConsole: fc.constantFrom<unknown>('true', true, false),
      userIdentity: fc.record({ arn: fc.constantFrom('arn:aws:iam::123456789012:user/alice', 'arn:aws:sts::123456789012:assumed-role/deploy/ci') }, { requiredKeys: [] }),
      resources: fc.array(resource, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .map((fields) => ({ eventVersion: '1.11', eventTime: '2026-01-31T12:00:00Z', awsRegion: 'us-east-1', eventID: 'e', ...fields }) as CloudTrailRecord);

const DATA_VALUES = [
  'arn:aws:s3',
  'arn:aws:s3:::',
  'arn:aws:s3:::app-data/',
  'arn:aws:s3:::app-data/reports/',
  'arn:aws:s3:::app-data',
  'arn:aws:lambda',
  'arn:aws:lambda:us-east-1:123456789012:function:orders',
  'arn:aws:dynamodb',
  'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
];
const basicSelector: fc.Arbitrary<EventSelector> = fc.record(
  {
    ReadWriteType: fc.constantFrom('All', 'ReadOnly', 'WriteOnly'),
    IncludeManagementEvents: fc.boolean(),
    ExcludeManagementEventSources: fc.subarray(['kms.amazonaws.com', 'rdsdata.amazonaws.com']),
    DataResources: fc.array(
      fc.record({ Type: fc.constantFrom('AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'), Values: fc.subarray(DATA_VALUES) }, { requiredKeys: [] }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

/** Candidate condition values per field: whole values of the pools above, plus fragments of them. */
const VALUES_BY_FIELD: Record<string, string[]> = {
  eventCategory: ['Management', 'Data', 'NetworkActivity', 'Insight', 'ActivityAuditLog', 'Manage', 'ment'],
  eventSource: [...SOURCES, 's3', '.amazonaws.com', 'kms'],
  eventName: [...NAMES, 'Get', 'Object', 'Create', 'User'],
  eventType: ['AwsApiCall', 'AwsConsoleSignIn', 'Aws', 'Call'],
  readOnly: ['true', 'false', 'tr', 'e'],
  'resources.type': [...RESOURCE_TYPES, 'AWS::S3::', '::Object'],
  'resources.ARN': [...ARNS, 'arn:aws:s3:::app-data/', 'arn:aws:lambda:', '/Orders', 'orders'],
  sessionCredentialFromConsole: ['true', 'false', 't'],
  'userIdentity.arn': ['arn:aws:iam::123456789012:user/alice', 'arn:aws:sts::', '/ci', 'alice'],
  errorCode: ['AccessDenied', 'Access', 'Exception', 'Denied'],
  vpcEndpointId: ['vpce-1', 'vpce-', '-2'],
};

/** One or two operators per condition: with all six at once almost nothing would ever match. */
const conditionOn = (fields: readonly string[]): fc.Arbitrary<AdvancedFieldSelector> =>
  fc.tuple(fc.constantFrom(...fields), fc.subarray([...OPERATORS], { minLength: 1, maxLength: 2 })).chain(([Field, operators]) => {
    const values = fc.subarray(VALUES_BY_FIELD[Field] ?? [], { minLength: 1, maxLength: 3 });
    return fc.tuple(...operators.map((operator) => values.map((list) => [operator, list] as const))).map(
      (entries): AdvancedFieldSelector => ({ Field, ...Object.fromEntries(entries) }),
    );
  });
const fieldSelector = conditionOn(ADVANCED_FIELDS);
const advancedSelector: fc.Arbitrary<AdvancedEventSelector> = fc.record({ FieldSelectors: fc.array(fieldSelector, { minLength: 1, maxLength: 3 }) });
/** Selectors of resources.* conditions only, where records with several resources tell the rules apart. */
const resourceSelector: fc.Arbitrary<AdvancedEventSelector> = fc.record({
  FieldSelectors: fc.array(conditionOn(['resources.type', 'resources.ARN']), { minLength: 2, maxLength: 3 }),
});

const RUNS = { numRuns: 2000 };

// ---------------------------------------------------------------------------------------------

describe('selects agrees with the naive reference', () => {
  it('for basic selectors', () => {
    fc.assert(
      fc.property(fc.array(basicSelector, { maxLength: 5 }), recordArb, (selectors, r) => {
        expect(selects({ kind: 'basic', selectors }, r)).toBe(refBasic(selectors, r));
      }),
      RUNS,
    );
  });

  it('for advanced selectors', () => {
    fc.assert(
      fc.property(fc.array(advancedSelector, { maxLength: 3 }), recordArb, (selectors, r) => {
        expect(selects({ kind: 'advanced', selectors }, r)).toBe(refAdvanced(selectors, r));
      }),
      RUNS,
    );
  });

  it('for advanced selectors on resources', () => {
    fc.assert(
      fc.property(fc.array(resourceSelector, { minLength: 1, maxLength: 2 }), recordArb, (selectors, r) => {
        expect(selects({ kind: 'advanced', selectors }, r)).toBe(refAdvanced(selectors, r));
      }),
      RUNS,
    );
  });

  it('for the default: management and custom events', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const category = refCategory(r);
        expect(selects(DEFAULT_SELECTORS, r)).toBe(category === 'Management' || category === 'ActivityAuditLog');
      }),
      RUNS,
    );
  });
});

describe('selector algebra', () => {
  it('selectors are ORed: order does not matter, and adding one never drops a record', () => {
    fc.assert(
      fc.property(fc.array(advancedSelector, { maxLength: 3 }), advancedSelector, recordArb, (selectors, extra, r) => {
        const before = selects({ kind: 'advanced', selectors }, r);
        expect(selects({ kind: 'advanced', selectors: [...selectors].reverse() }, r)).toBe(before);
        if (before) expect(selects({ kind: 'advanced', selectors: [extra, ...selectors] }, r)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a negative operator holds exactly when its positive twin fails', () => {
    const twins = [
      ['Equals', 'NotEquals'],
      ['StartsWith', 'NotStartsWith'],
      ['EndsWith', 'NotEndsWith'],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...ADVANCED_FIELDS.filter((field) => !field.startsWith('resources.'))),
        fc.constantFrom(...twins),
        fc.array(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        recordArb,
        (Field, [positive, negative], values, r) => {
          const select = (operator: string) =>
            selects({ kind: 'advanced', selectors: [{ FieldSelectors: [{ Field, [operator]: values }] }] }, r);
          expect(select(negative)).toBe(!select(positive));
        },
      ),
      RUNS,
    );
  });

  it('adding a condition to a selector never selects more', () => {
    fc.assert(
      fc.property(advancedSelector, fieldSelector, recordArb, (selector, condition, r) => {
        const narrowed = { FieldSelectors: [...selector.FieldSelectors, condition] };
        if (selects({ kind: 'advanced', selectors: [narrowed] }, r)) expect(selects({ kind: 'advanced', selectors: [selector] }, r)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('validated configs', () => {
  it('a valid basic input selects what the raw input selects (filling defaults changes nothing)', () => {
    fc.assert(
      fc.property(fc.array(basicSelector, { minLength: 1, maxLength: 5 }), recordArb, (selectors, r) => {
        const valid = selectors.every((s) => (s.DataResources ?? []).every((d) => (d.Values ?? []).length > 0 && validValue(d.Type, d.Values ?? [])));
        const result = validateSelectorInput({ EventSelectors: selectors });
        expect(result.ok).toBe(valid);
        if (result.ok) expect(selects(result.config, r)).toBe(selects({ kind: 'basic', selectors }, r));
      }),
      RUNS,
    );
  });

  it('never throws on type-correct input, and every refusal says what is wrong', () => {
    const text = fc.string({ maxLength: 12 });
    const anyField: fc.Arbitrary<AdvancedFieldSelector> = fc.record(
      {
        Field: fc.oneof(fc.constantFrom(...ADVANCED_FIELDS), text),
        Equals: fc.array(text, { maxLength: 2 }),
        NotStartsWith: fc.array(text, { maxLength: 2 }),
        StartsWith: fc.array(text, { maxLength: 2 }),
      },
      { requiredKeys: ['Field'] },
    );
    const anyBasic: fc.Arbitrary<EventSelector> = fc.record(
      {
        ReadWriteType: fc.constantFrom('All', 'ReadOnly', 'WriteOnly', 'read-only' as 'All'),
        IncludeManagementEvents: fc.boolean(),
        ExcludeManagementEventSources: fc.array(fc.oneof(text, fc.constant('kms.amazonaws.com')), { maxLength: 2 }),
        DataResources: fc.array(fc.record({ Type: fc.oneof(text, fc.constantFrom('AWS::S3::Object')), Values: fc.array(text, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        maybe(fc.array(anyBasic, { maxLength: 6 })),
        maybe(fc.array(fc.record({ Name: maybe(text), FieldSelectors: fc.array(anyField, { maxLength: 3 }) }), { maxLength: 3 })),
        (EventSelectors, AdvancedEventSelectors) => {
          const result = validateSelectorInput({ EventSelectors, AdvancedEventSelectors });
          if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
          else expect(result.config.kind).toBe(EventSelectors !== undefined ? 'basic' : 'advanced');
        },
      ),
      RUNS,
    );
  });
});

/** Which of the DATA_VALUES pool are well-formed for a type (written out, not derived from the validator's patterns). */
function validValue(type: string | undefined, values: string[]): boolean {
  const allowed: Record<string, string[]> = {
    'AWS::S3::Object': ['arn:aws:s3', 'arn:aws:s3:::', 'arn:aws:s3:::app-data/', 'arn:aws:s3:::app-data/reports/'],
    'AWS::Lambda::Function': ['arn:aws:lambda', 'arn:aws:lambda:us-east-1:123456789012:function:orders'],
    'AWS::DynamoDB::Table': ['arn:aws:dynamodb', 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders'],
  };
  return type !== undefined && values.every((value) => (allowed[type] ?? []).includes(value));
}
