import { describe, expect, it } from 'vitest';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../../services/cloudtrail/model.gen.js';
import type { SelectorErrorCode, SelectorInput } from './validate.js';
import { validateSelectorInput } from './validate.js';

const ISE: SelectorErrorCode = 'InvalidEventSelectorsException';
const IPC: SelectorErrorCode = 'InvalidParameterCombinationException';

const s3 = (...Values: string[]): EventSelector => ({ DataResources: [{ Type: 'AWS::S3::Object', Values }] });
const lambda = (...Values: string[]): EventSelector => ({ DataResources: [{ Type: 'AWS::Lambda::Function', Values }] });
const dynamo = (...Values: string[]): EventSelector => ({ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values }] });
const basic = (...EventSelectors: EventSelector[]): SelectorInput => ({ EventSelectors });

const category = (value: string): AdvancedFieldSelector => ({ Field: 'eventCategory', Equals: [value] });
const management = category('Management');
const s3Objects: AdvancedFieldSelector = { Field: 'resources.type', Equals: ['AWS::S3::Object'] };
const selector = (...FieldSelectors: AdvancedFieldSelector[]): AdvancedEventSelector => ({ FieldSelectors });
const advanced = (...AdvancedEventSelectors: AdvancedEventSelector[]): SelectorInput => ({ AdvancedEventSelectors });
/** Management selector plus one more condition, the usual way to test a single condition. */
const withCondition = (condition: AdvancedFieldSelector): SelectorInput => advanced(selector(management, condition));

const FIELDS = 'eventCategory, eventSource, eventName, eventType, readOnly, resources.type, resources.ARN, sessionCredentialFromConsole, userIdentity.arn, errorCode, vpcEndpointId';
const BASIC_TYPES = 'AWS::S3::Object, AWS::Lambda::Function, AWS::DynamoDB::Table';
const S3_HINT = 'use arn:aws:s3 for all buckets, or arn:aws:s3:::<bucket>/ optionally followed by an object key prefix';
const LAMBDA_HINT = 'use arn:aws:lambda for all functions, or a function ARN arn:aws:lambda:<region>:<account>:function:<name>';
const DYNAMO_HINT = 'use arn:aws:dynamodb for all tables, or a table ARN arn:aws:dynamodb:<region>:<account>:table/<name>';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';

describe('validateSelectorInput refuses', () => {
  it.each<[string, SelectorInput, SelectorErrorCode, string]>([
    // Which kind
    ['both kinds', { EventSelectors: [{}], AdvancedEventSelectors: [selector(management)] }, IPC, 'Specify either EventSelectors or AdvancedEventSelectors, not both.'],
    ['both kinds, even empty', { EventSelectors: [], AdvancedEventSelectors: [] }, IPC, 'Specify either EventSelectors or AdvancedEventSelectors, not both.'],
    ['neither kind', {}, IPC, 'Specify EventSelectors or AdvancedEventSelectors.'],
    ['neither kind (both null)', { EventSelectors: null, AdvancedEventSelectors: null } as unknown as SelectorInput, IPC, 'Specify EventSelectors or AdvancedEventSelectors.'],

    // Basic: counts
    ['no basic selectors', basic(), ISE, 'EventSelectors must contain 1 to 5 event selectors; got 0.'],
    ['six basic selectors', basic({}, {}, {}, {}, {}, {}), ISE, 'EventSelectors must contain 1 to 5 event selectors; got 6.'],
    [
      '251 data resource values over two selectors',
      basic(s3(...Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::bucket-${i}/`)), lambda(...Array.from({ length: 51 }, (_, i) => `${FN}${i}`))),
      ISE,
      'EventSelectors have 251 data resource values in total; a trail allows at most 250.',
    ],
    // Basic: members
    ['ReadWriteType read-only', basic({}, { ReadWriteType: 'read-only' as 'All' }), ISE, 'EventSelectors[1].ReadWriteType "read-only" is invalid; use ReadOnly, WriteOnly, All.'],
    ['ReadWriteType in lower case', basic({ ReadWriteType: 'all' as 'All' }), ISE, 'EventSelectors[0].ReadWriteType "all" is invalid; use ReadOnly, WriteOnly, All.'],
    [
      'excluding a source other than kms and rdsdata',
      basic({ ExcludeManagementEventSources: ['kms.amazonaws.com', 's3.amazonaws.com'] }),
      ISE,
      'EventSelectors[0].ExcludeManagementEventSources[1] "s3.amazonaws.com" cannot be excluded; only kms.amazonaws.com, rdsdata.amazonaws.com can.',
    ],
    ['a DataResource without Type', basic({ DataResources: [{ Values: ['arn:aws:s3'] }] }), ISE, `EventSelectors[0].DataResources[0].Type is missing; use one of ${BASIC_TYPES}.`],
    [
      'a DataResource of a type only advanced selectors support',
      basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }, { Type: 'AWS::S3Express::Object', Values: ['arn:aws:s3express'] }] }),
      ISE,
      `EventSelectors[0].DataResources[1].Type "AWS::S3Express::Object" is not supported by basic event selectors (${BASIC_TYPES}); use advanced event selectors for other resource types.`,
    ],
    ['a DataResource without Values', basic({ DataResources: [{ Type: 'AWS::S3::Object' }] }), ISE, 'EventSelectors[0].DataResources[0].Values must contain at least one value.'],
    ['a DataResource with empty Values', basic(s3()), ISE, 'EventSelectors[0].DataResources[0].Values must contain at least one value.'],
    // Basic: value formats (the first two are what AWS itself refused in aws-samples issue #335)
    ['S3 wildcard bucket', basic(s3('arn:aws:s3:::*')), ISE, `Value arn:aws:s3:::* for EventSelectors[0].DataResources[0].Values[0] is invalid; ${S3_HINT}.`],
    ['Lambda wildcard', basic(lambda('arn:aws:lambda:*')), ISE, `Value arn:aws:lambda:* for EventSelectors[0].DataResources[0].Values[0] is invalid; ${LAMBDA_HINT}.`],
    ['S3 bucket without the slash', basic(s3('arn:aws:s3', 'arn:aws:s3:::app-data')), ISE, `Value arn:aws:s3:::app-data for EventSelectors[0].DataResources[0].Values[1] is invalid; ${S3_HINT}.`],
    ['S3 bucket name in upper case', basic(s3('arn:aws:s3:::App-Data/')), ISE, `Value arn:aws:s3:::App-Data/ for EventSelectors[0].DataResources[0].Values[0] is invalid; ${S3_HINT}.`],
    ['S3 value that is not an ARN', basic(s3('app-data/')), ISE, `Value app-data/ for EventSelectors[0].DataResources[0].Values[0] is invalid; ${S3_HINT}.`],
    ['S3 value of another service', basic(s3('arn:aws:lambda')), ISE, `Value arn:aws:lambda for EventSelectors[0].DataResources[0].Values[0] is invalid; ${S3_HINT}.`],
    ['Lambda function without account', basic(lambda('arn:aws:lambda:us-east-1::function:orders')), ISE, `Value arn:aws:lambda:us-east-1::function:orders for EventSelectors[0].DataResources[0].Values[0] is invalid; ${LAMBDA_HINT}.`],
    ['Lambda function prefix', basic(lambda('arn:aws:lambda:us-east-1:123456789012:function:')), ISE, `Value arn:aws:lambda:us-east-1:123456789012:function: for EventSelectors[0].DataResources[0].Values[0] is invalid; ${LAMBDA_HINT}.`],
    ['DynamoDB table name too short', basic(dynamo('arn:aws:dynamodb:us-east-1:123456789012:table/ab')), ISE, `Value arn:aws:dynamodb:us-east-1:123456789012:table/ab for EventSelectors[0].DataResources[0].Values[0] is invalid; ${DYNAMO_HINT}.`],
    ['DynamoDB value with a trailing colon', basic(dynamo('arn:aws:dynamodb:')), ISE, `Value arn:aws:dynamodb: for EventSelectors[0].DataResources[0].Values[0] is invalid; ${DYNAMO_HINT}.`],

    // Advanced: counts
    ['no advanced selectors', advanced(), ISE, 'AdvancedEventSelectors must contain at least one advanced event selector.'],
    [
      '501 condition values',
      advanced(selector(management, { Field: 'eventName', NotEquals: Array.from({ length: 500 }, (_, i) => `Op${i}`) })),
      ISE,
      'AdvancedEventSelectors have 501 condition values in total; a trail allows at most 500.',
    ],
    [
      '501 condition values spread over selectors and operators',
      advanced(
        ...Array.from({ length: 100 }, () => selector(management, { Field: 'eventName', StartsWith: ['A', 'B'], NotEndsWith: ['x', 'y'] })),
        selector(management),
      ),
      ISE,
      'AdvancedEventSelectors have 501 condition values in total; a trail allows at most 500.',
    ],
    // Advanced: selector members
    ['a Name of 1001 characters', advanced({ Name: 'n'.repeat(1001), FieldSelectors: [management] }), ISE, 'AdvancedEventSelectors[0].Name is 1001 characters long; the maximum is 1000.'],
    ['no field selectors', advanced(selector(management), selector()), ISE, 'AdvancedEventSelectors[1].FieldSelectors must contain at least one field selector.'],
    ['a missing Field', withCondition({ Equals: ['x'] } as unknown as AdvancedFieldSelector), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].Field is missing.'],
    ['an empty Field', withCondition({ Field: '', Equals: ['x'] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].Field is 0 characters long; it must be 1 to 1000.'],
    ['a Field of 1001 characters', withCondition({ Field: 'f'.repeat(1001), Equals: ['x'] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].Field is 1001 characters long; it must be 1 to 1000.'],
    ['a Field off the pattern', withCondition({ Field: 'resources-type', Equals: ['x'] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].Field "resources-type" does not match the pattern [\\w|\\d|\\.|_]+.'],
    ['an unknown Field', withCondition({ Field: 'awsRegion', Equals: ['us-east-1'] }), ISE, `AdvancedEventSelectors[0].FieldSelectors[1].Field "awsRegion" is not a supported field; use one of ${FIELDS}.`],
    ['a Field in the wrong case', withCondition({ Field: 'resources.arn', StartsWith: ['arn:'] }), ISE, `AdvancedEventSelectors[0].FieldSelectors[1].Field "resources.arn" is not a supported field; use one of ${FIELDS}.`],
    [
      'a field selector without operators',
      withCondition({ Field: 'eventName' }),
      ISE,
      'AdvancedEventSelectors[0].FieldSelectors[1] (eventName) has no operator; use at least one of Equals, StartsWith, EndsWith, NotEquals, NotStartsWith, NotEndsWith.',
    ],
    ['an empty operator list', withCondition({ Field: 'eventName', Equals: ['A'], NotEndsWith: [] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].NotEndsWith must contain at least one value.'],
    ['an empty value', withCondition({ Field: 'eventName', StartsWith: ['Get', ''] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].StartsWith[1] must be 1 to 2048 characters long; it is 0.'],
    ['a value of 2049 characters', withCondition({ Field: 'eventName', Equals: ['v'.repeat(2049)] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1].Equals[0] must be 1 to 2048 characters long; it is 2049.'],
    // Advanced: Equals-only fields and their values
    ['eventCategory with NotEquals', advanced(selector({ Field: 'eventCategory', NotEquals: ['Data'] })), ISE, 'AdvancedEventSelectors[0].FieldSelectors[0] (eventCategory) accepts only the Equals operator, not NotEquals.'],
    ['eventCategory with Equals and StartsWith', advanced(selector({ Field: 'eventCategory', Equals: ['Management'], StartsWith: ['M'] })), ISE, 'AdvancedEventSelectors[0].FieldSelectors[0] (eventCategory) accepts only the Equals operator, not StartsWith.'],
    ['readOnly with NotEquals', withCondition({ Field: 'readOnly', NotEquals: ['true'] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1] (readOnly) accepts only the Equals operator, not NotEquals.'],
    ['resources.type with StartsWith', advanced(selector(category('Data'), { Field: 'resources.type', StartsWith: ['AWS::S3'] })), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1] (resources.type) accepts only the Equals operator, not StartsWith.'],
    ['readOnly True', withCondition({ Field: 'readOnly', Equals: ['True'] }), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1] (readOnly) values must be "true" or "false", not "True".'],
    ['an unknown eventCategory', advanced(selector(category('Insight'))), ISE, 'AdvancedEventSelectors[0].FieldSelectors[0] (eventCategory) value "Insight" is not supported; use Management, Data, NetworkActivity, ActivityAuditLog.'],
    ['resources.type with two values', advanced(selector(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object', 'AWS::Lambda::Function'] })), ISE, 'AdvancedEventSelectors[0].FieldSelectors[1] (resources.type) takes exactly one value; got 2.'],
    // Advanced: what a selector must contain
    [
      'no eventCategory',
      advanced(selector(management), selector({ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] })),
      ISE,
      'AdvancedEventSelectors[1] has no eventCategory field selector; every advanced event selector needs one (eventCategory Equals Management, Data, NetworkActivity, ActivityAuditLog).',
    ],
    [
      'data events without resources.type',
      advanced(selector(category('Data'), { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::app-data/'] })),
      ISE,
      'AdvancedEventSelectors[0] selects data events (eventCategory Equals Data) but has no resources.type field selector; data event selectors must name the resource type.',
    ],
    [
      'network activity without eventSource',
      advanced(selector(category('NetworkActivity'), { Field: 'errorCode', Equals: ['VpceAccessDenied'] })),
      ISE,
      'AdvancedEventSelectors[0] selects network activity events (eventCategory Equals NetworkActivity) but has no eventSource field selector; network activity selectors must name the event source.',
    ],
    [
      'custom events with another field',
      advanced(selector(category('ActivityAuditLog'), { Field: 'eventSource', Equals: ['payments.example.com'] })),
      ISE,
      'AdvancedEventSelectors[0] selects custom events (eventCategory Equals ActivityAuditLog), which can be selected by eventCategory only; remove the eventSource field selector.',
    ],
  ])('%s', (_name, input, code, message) => {
    expect(validateSelectorInput(input)).toEqual({ ok: false, code, message });
  });

  it('reports the first problem in input order', () => {
    const result = validateSelectorInput(basic({ ReadWriteType: 'Both' as 'All' }, s3('bad')));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('EventSelectors[0].ReadWriteType') as unknown });
  });
});

describe('validateSelectorInput accepts', () => {
  it.each<[string, SelectorInput]>([
    ['one empty basic selector', basic({})],
    ['five basic selectors', basic({}, {}, {}, {}, {})],
    ['exactly 250 data resource values', basic(s3(...Array.from({ length: 250 }, (_, i) => `arn:aws:s3:::bucket-${i}/`)))],
    ['management events off, no data resources', basic({ IncludeManagementEvents: false })],
    ['kms and rdsdata excluded', basic({ ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] })],
    ['every S3 value form', basic(s3('arn:aws:s3', 'arn:aws:s3:::', 'arn:aws:s3:::app-data/', 'arn:aws:s3:::app.data-2/logs/2026/', 'arn:aws-cn:s3:::b-1/'))],
    ['every Lambda value form', basic(lambda('arn:aws:lambda', FN, 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my_fn-2'))],
    ['every DynamoDB value form', basic(dynamo('arn:aws:dynamodb', TABLE, 'arn:aws:dynamodb:eu-central-1:123456789012:table/a.b_c-d'))],
    ['null optional members', basic({ ReadWriteType: null, DataResources: null } as unknown as EventSelector)],
    ['the management-only advanced selector', advanced(selector(management))],
    ['management minus kms and rdsdata, writes only', advanced({ Name: 'writes', FieldSelectors: [management, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }, { Field: 'readOnly', Equals: ['false'] }] })],
    ['S3 data events of one bucket, reads, from the console', advanced(selector(category('Data'), s3Objects, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::app-data/'] }, { Field: 'readOnly', Equals: ['true'] }, { Field: 'sessionCredentialFromConsole', Equals: ['true'] }))],
    ['data events of a type basic selectors do not know', advanced(selector(category('Data'), { Field: 'resources.type', Equals: ['AWS::S3Express::Object'] }, { Field: 'eventName', NotStartsWith: ['List'], NotEndsWith: ['Tagging'] }))],
    ['network activity', advanced(selector(category('NetworkActivity'), { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] }, { Field: 'errorCode', Equals: ['VpceAccessDenied'] }, { Field: 'vpcEndpointId', NotEquals: ['vpce-1'] }))],
    ['custom events (OpenTrail)', advanced(selector(category('ActivityAuditLog')))],
    ['a Name of 1000 characters and a value of 2048', advanced({ Name: 'n'.repeat(1000), FieldSelectors: [management, { Field: 'userIdentity.arn', Equals: ['v'.repeat(2048)] }] })],
    ['exactly 500 condition values', advanced(selector(management, { Field: 'eventName', NotEquals: Array.from({ length: 499 }, (_, i) => `Op${i}`) }))],
  ])('%s', (_name, input) => {
    const result = validateSelectorInput(input);
    expect(result.ok ? 'ok' : result.message).toBe('ok');
  });
});

describe('the config a valid input becomes', () => {
  it('basic selectors get CloudTrail defaults filled in', () => {
    const result = validateSelectorInput(basic({}, { ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }));
    expect(result).toEqual({
      ok: true,
      config: {
        kind: 'basic',
        selectors: [
          { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
          { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }], ExcludeManagementEventSources: [] },
        ],
      },
    });
  });

  it('advanced selectors are kept as given, without null operators', () => {
    const input = advanced({ Name: 'n', FieldSelectors: [management, { Field: 'eventName', StartsWith: ['Get'], NotEquals: null } as unknown as AdvancedFieldSelector] });
    expect(validateSelectorInput(input)).toEqual({
      ok: true,
      config: { kind: 'advanced', selectors: [{ Name: 'n', FieldSelectors: [management, { Field: 'eventName', StartsWith: ['Get'] }] }] },
    });
  });

  it('is a copy: changing the input afterwards does not change it', () => {
    const selectors: EventSelector[] = [s3('arn:aws:s3:::app-data/')];
    const result = validateSelectorInput({ EventSelectors: selectors });
    selectors[0]?.DataResources?.[0]?.Values?.push('arn:aws:s3');
    const advancedInput = [selector(management, { Field: 'eventName', Equals: ['A'] })];
    const advancedResult = validateSelectorInput({ AdvancedEventSelectors: advancedInput });
    advancedInput[0]?.FieldSelectors[1]?.Equals?.push('B');
    expect(result.ok && result.config.selectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::app-data/'] }], ExcludeManagementEventSources: [] }]);
    expect(advancedResult.ok && advancedResult.config.selectors).toEqual([selector(management, { Field: 'eventName', Equals: ['A'] })]);
  });
});
