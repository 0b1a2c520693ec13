import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as cloudtrailData from '../../services/cloudtrail-data/model.gen.js';
import * as cloudtrail from '../../services/cloudtrail/model.gen.js';
import type { InputProblem, ShapeTable } from './validate-input.js';
import { MAX_INPUT_DEPTH, checkConstraints, validateInput } from './validate-input.js';
import { compileModelPattern } from './model-pattern.js';

const ct = cloudtrail.shapes;
const data = cloudtrailData.shapes;

function mismatch(expected: string, path: string): InputProblem {
  return { kind: 'serialization', message: `Unexpected value type in payload: expected ${expected} at '${path}'` };
}

function notNull(...paths: string[]): InputProblem {
  const count = paths.length;
  const detail = paths.map((p) => `Value null at '${p}' failed to satisfy constraint: Member must not be null`);
  return { kind: 'validation', message: `${count} validation error${count === 1 ? '' : 's'} detected: ${detail.join('; ')}` };
}

const trail = { Name: 'trail', S3BucketName: 'bucket' };
const advanced = (fieldSelector: unknown): unknown => ({
  TrailName: 'trail',
  AdvancedEventSelectors: [{ Name: 'data events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, fieldSelector] }],
});

describe('validateInput: JSON type mismatches are serialization problems', () => {
  it.each<[string, ShapeTable, string, unknown, InputProblem]>([
    // LookupEventsRequest
    ['a list given as an object', ct, 'LookupEventsRequest', { LookupAttributes: {} }, mismatch('list', 'LookupAttributes')],
    ['a list given as a string', ct, 'LookupEventsRequest', { LookupAttributes: 'EventName' }, mismatch('list', 'LookupAttributes')],
    ['a structure given as a string', ct, 'LookupEventsRequest', { LookupAttributes: ['x'] }, mismatch('structure', 'LookupAttributes[0]')],
    ['a structure given as an array', ct, 'LookupEventsRequest', { LookupAttributes: [[]] }, mismatch('structure', 'LookupAttributes[0]')],
    [
      'a string given as a number',
      ct,
      'LookupEventsRequest',
      { LookupAttributes: [{ AttributeKey: 1, AttributeValue: 'x' }] },
      mismatch('string', 'LookupAttributes[0].AttributeKey'),
    ],
    [
      'a string given as an object, second element',
      ct,
      'LookupEventsRequest',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }, { AttributeKey: 'Username', AttributeValue: {} }] },
      mismatch('string', 'LookupAttributes[1].AttributeValue'),
    ],
    ['an integer given as a fraction', ct, 'LookupEventsRequest', { MaxResults: 1.5 }, mismatch('integer', 'MaxResults')],
    ['an integer given as a string', ct, 'LookupEventsRequest', { MaxResults: '5' }, mismatch('integer', 'MaxResults')],
    ['an integer given as a boolean', ct, 'LookupEventsRequest', { MaxResults: true }, mismatch('integer', 'MaxResults')],
    ['a timestamp given as a string', ct, 'LookupEventsRequest', { StartTime: '2024-01-01T00:00:00Z' }, mismatch('timestamp', 'StartTime')],
    ['a timestamp given as an object', ct, 'LookupEventsRequest', { EndTime: {} }, mismatch('timestamp', 'EndTime')],
    ['a body that is an array', ct, 'LookupEventsRequest', [], { kind: 'serialization', message: 'Unexpected value type in payload: expected structure at the top level' }],
    ['a body that is a string', ct, 'LookupEventsRequest', 'x', { kind: 'serialization', message: 'Unexpected value type in payload: expected structure at the top level' }],
    // CreateTrailRequest
    ['a boolean given as a string', ct, 'CreateTrailRequest', { ...trail, IncludeGlobalServiceEvents: 'true' }, mismatch('boolean', 'IncludeGlobalServiceEvents')],
    ['a boolean given as a number', ct, 'CreateTrailRequest', { ...trail, IsMultiRegionTrail: 1 }, mismatch('boolean', 'IsMultiRegionTrail')],
    ['a required string given as a number', ct, 'CreateTrailRequest', { ...trail, Name: 5 }, mismatch('string', 'Name')],
    ['a tag given as a string', ct, 'CreateTrailRequest', { ...trail, TagsList: ['k=v'] }, mismatch('structure', 'TagsList[0]')],
    ['a tag value given as a number', ct, 'CreateTrailRequest', { ...trail, TagsList: [{ Key: 'k', Value: 7 }] }, mismatch('string', 'TagsList[0].Value')],
    // PutEventSelectorsRequest with nested AdvancedEventSelectors
    ['a nested list given as a string', ct, 'PutEventSelectorsRequest', advanced({ Field: 'resources.type', Equals: 'AWS::S3::Object' }), mismatch('list', 'AdvancedEventSelectors[0].FieldSelectors[1].Equals')],
    ['a nested list element given as a number', ct, 'PutEventSelectorsRequest', advanced({ Field: 'resources.type', StartsWith: ['a', 2] }), mismatch('string', 'AdvancedEventSelectors[0].FieldSelectors[1].StartsWith[1]')],
    ['a nested structure given as a list', ct, 'PutEventSelectorsRequest', advanced(['resources.type']), mismatch('structure', 'AdvancedEventSelectors[0].FieldSelectors[1]')],
    ['selectors given as an object', ct, 'PutEventSelectorsRequest', { TrailName: 't', EventSelectors: { ReadWriteType: 'All' } }, mismatch('list', 'EventSelectors')],
    ['a boolean in a selector given as a string', ct, 'PutEventSelectorsRequest', { TrailName: 't', EventSelectors: [{ IncludeManagementEvents: 'yes' }] }, mismatch('boolean', 'EventSelectors[0].IncludeManagementEvents')],
    // maps
    ['a map given as a list', ct, 'StartDashboardRefreshRequest', { DashboardId: 'd', QueryParameterValues: [] }, mismatch('map', 'QueryParameterValues')],
    ['a map value given as a number', ct, 'StartDashboardRefreshRequest', { DashboardId: 'd', QueryParameterValues: { $StartTime$: 1 } }, mismatch('string', 'QueryParameterValues["$StartTime$"]')],
    // PutAuditEventsRequest (cloudtrail-data)
    ['audit events given as an object', data, 'PutAuditEventsRequest', { channelArn: 'arn:x', auditEvents: {} }, mismatch('list', 'auditEvents')],
    ['event data given as an object', data, 'PutAuditEventsRequest', { channelArn: 'arn:x', auditEvents: [{ id: '1', eventData: {} }] }, mismatch('string', 'auditEvents[0].eventData')],
    ['a channel ARN given as a list', data, 'PutAuditEventsRequest', { channelArn: ['arn:x'], auditEvents: [] }, mismatch('string', 'channelArn')],
  ])('%s', (_name, shapes, shapeName, value, expected) => {
    expect(validateInput(shapes, shapeName, value)).toEqual(expected);
  });

  it('reports a type mismatch before any missing required member', () => {
    const value = { LookupAttributes: [{ AttributeKey: 'EventName' }], MaxResults: 'ten' };
    expect(validateInput(ct, 'LookupEventsRequest', value)).toEqual(mismatch('integer', 'MaxResults'));
  });
});

describe('validateInput: missing required members are validation problems', () => {
  it.each<[string, ShapeTable, string, unknown, InputProblem]>([
    ['a missing member of a list element', ct, 'LookupEventsRequest', { LookupAttributes: [{ AttributeKey: 'EventName' }] }, notNull('lookupAttributes.1.member.attributeValue')],
    [
      'a null member of the second list element',
      ct,
      'LookupEventsRequest',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }, { AttributeKey: null, AttributeValue: 'y' }] },
      notNull('lookupAttributes.2.member.attributeKey'),
    ],
    ['a null list element', ct, 'LookupEventsRequest', { LookupAttributes: [null] }, notNull('lookupAttributes.1.member')],
    ['two missing top-level members', ct, 'CreateTrailRequest', {}, notNull('name', 's3BucketName')],
    ['a null top-level member', ct, 'CreateTrailRequest', { Name: null, S3BucketName: 'b' }, notNull('name')],
    ['a missing tag key', ct, 'CreateTrailRequest', { ...trail, TagsList: [{ Key: 'a' }, { Value: 'v' }] }, notNull('tagsList.2.member.key')],
    ['a missing trail name', ct, 'PutEventSelectorsRequest', { EventSelectors: [] }, notNull('trailName')],
    [
      'missing members of nested advanced selectors',
      ct,
      'PutEventSelectorsRequest',
      { TrailName: 't', AdvancedEventSelectors: [{ Name: 'a', FieldSelectors: [{ Field: 'eventCategory' }, { Equals: ['x'] }] }, {}] },
      notNull('advancedEventSelectors.1.member.fieldSelectors.2.member.field', 'advancedEventSelectors.2.member.fieldSelectors'),
    ],
    ['an empty audit event body', data, 'PutAuditEventsRequest', {}, notNull('auditEvents', 'channelArn')],
    ['a missing event data', data, 'PutAuditEventsRequest', { channelArn: 'arn:x', auditEvents: [{ id: '1' }] }, notNull('auditEvents.1.member.eventData')],
  ])('%s', (_name, shapes, shapeName, value, expected) => {
    expect(validateInput(shapes, shapeName, value)).toEqual(expected);
  });

  it('lists at most ten problems, as AWS does', () => {
    const problem = validateInput(ct, 'LookupEventsRequest', { LookupAttributes: Array.from({ length: 12 }, () => ({})) });
    expect(problem?.kind).toBe('validation');
    expect(problem?.message).toMatch(/^10 validation errors detected: /);
    expect(problem?.message.split('; ')).toHaveLength(10);
  });

  it('reports a null map value at the map', () => {
    expect(validateInput(ct, 'StartDashboardRefreshRequest', { DashboardId: 'd', QueryParameterValues: { a: null } })).toEqual({
      kind: 'validation',
      message:
        "1 validation error detected: Value '{a=null}' at 'queryParameterValues' failed to satisfy constraint: " +
        'Map value must satisfy constraint: [Member must not be null]',
    });
  });
});

describe('validateInput: acceptable input', () => {
  it.each<[string, ShapeTable, string, unknown]>([
    ['an empty body', ct, 'LookupEventsRequest', {}],
    ['an absent body', ct, 'LookupEventsRequest', undefined],
    ['a full LookupEvents request', ct, 'LookupEventsRequest', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }], StartTime: 1700000000.25, EndTime: 1700000001, EventCategory: 'insight', MaxResults: 50, NextToken: 't' }],
    ['a huge integral MaxResults (range is the handler\'s business)', ct, 'LookupEventsRequest', { MaxResults: 1e300 }],
    ['an unknown enum value (the handler\'s business)', ct, 'LookupEventsRequest', { EventCategory: 'bogus', LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: '' }] }],
    ['unknown members', ct, 'LookupEventsRequest', { Bogus: [1, { x: null }], lookupattributes: 5 }],
    ['null optional members', ct, 'CreateTrailRequest', { ...trail, S3KeyPrefix: null, TagsList: null, IsMultiRegionTrail: null }],
    ['a trail with tags', ct, 'CreateTrailRequest', { ...trail, IncludeGlobalServiceEvents: false, TagsList: [{ Key: 'k' }, { Key: 'k2', Value: 'v' }] }],
    ['advanced selectors', ct, 'PutEventSelectorsRequest', advanced({ Field: 'resources.type', Equals: ['AWS::S3::Object'], NotStartsWith: [] })],
    ['a map', ct, 'StartDashboardRefreshRequest', { DashboardId: 'd', QueryParameterValues: { $StartTime$: '2024', __proto__: 'x' } }],
    ['audit events', data, 'PutAuditEventsRequest', { channelArn: 'arn:x', externalId: 'e', auditEvents: [{ id: '1', eventData: '{}', eventDataChecksum: 'c' }] }],
  ])('accepts %s', (_name, shapes, shapeName, value) => {
    expect(validateInput(shapes, shapeName, value)).toBeUndefined();
  });
});

describe('validateInput: hostile input', () => {
  it('does not take members from a __proto__ key', () => {
    const value: unknown = JSON.parse('{"__proto__": {"Name": "from-proto", "S3BucketName": 5}, "S3BucketName": "b"}');
    expect(validateInput(ct, 'CreateTrailRequest', value)).toEqual(notNull('name'));
  });

  it('does not take members from the prototype chain', () => {
    const value: unknown = Object.assign(Object.create({ Name: 'inherited' }) as object, { S3BucketName: 'b' });
    expect(validateInput(ct, 'CreateTrailRequest', value)).toEqual(notNull('name'));
  });

  it('ignores deep nesting under unknown members', () => {
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { a: [deep] };
    expect(validateInput(ct, 'LookupEventsRequest', { Deep: deep })).toBeUndefined();
  });

  // CloudTrail's model is not recursive; a recursive one shows the depth bound.
  const recursive: ShapeTable = {
    Node: { type: 'structure', members: { Child: { shape: 'Node' }, Children: { shape: 'Nodes' }, Data: { shape: 'Data' } } },
    Nodes: { type: 'list', member: 'Node' },
    Data: { type: 'blob' },
  };
  const nest = (levels: number): unknown => {
    let value: unknown = {};
    for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { Child: value } : { Children: [value] };
    return value;
  };

  it('bounds the depth it walks', () => {
    expect(validateInput(recursive, 'Node', nest(MAX_INPUT_DEPTH / 2))).toBeUndefined();
    const problem = validateInput(recursive, 'Node', nest(100_000));
    expect(problem?.kind).toBe('serialization');
    expect(problem?.message).toMatch(/^Unexpected value in payload: nesting deeper than 64 levels at '(Children\[0\]|Child)\./);
    expect(checkConstraints(recursive, 'Node', nest(100_000))).toBeUndefined();
  });

  it('checks blobs for base64', () => {
    expect(validateInput(recursive, 'Node', { Data: 'aGVsbG8=' })).toBeUndefined();
    expect(validateInput(recursive, 'Node', { Data: 'not base64!' })).toEqual(mismatch('blob', 'Data'));
    expect(validateInput(recursive, 'Node', { Data: 12 })).toEqual(mismatch('blob', 'Data'));
  });

  it('fails, never passes, on shape names the table does not have', () => {
    expect(() => validateInput(ct, 'NoSuchShape', { a: 1 })).toThrow(/no shape "NoSuchShape"/);
    expect(() => validateInput(ct, 'toString', { a: 1 })).toThrow(/no shape "toString"/);
    expect(() => checkConstraints(ct, '__proto__', { a: 1 })).toThrow(/no shape "__proto__"/);
    const dangling: ShapeTable = { Outer: { type: 'structure', members: { Inner: { shape: 'Missing' } } } };
    expect(() => validateInput(dangling, 'Outer', { Inner: 'x' })).toThrow(/no shape "Missing"/);
  });

  it('enforces every pattern of the generated models (each one compiles)', () => {
    for (const table of [ct, data]) {
      for (const shape of Object.values(table)) if (shape.pattern !== undefined) expect(() => compileModelPattern(shape.pattern!)).not.toThrow();
    }
    expect(() => compileModelPattern('(?<unclosed')).toThrow(/cannot be compiled/);
  });

  it('never throws, for any JSON against any operation input', () => {
    const inputs = Object.values(cloudtrail.operations).flatMap((op) => (op.input === undefined ? [] : [op.input]));
    fc.assert(
      fc.property(fc.constantFrom(...inputs), fc.jsonValue(), (shapeName, value) => {
        const problem = validateInput(ct, shapeName, value);
        if (problem !== undefined) expect(['serialization', 'validation']).toContain(problem.kind);
        checkConstraints(ct, shapeName, value);
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkConstraints', () => {
  const one = (value: string, path: string, constraint: string): InputProblem => ({
    kind: 'validation',
    message: `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${constraint}`,
  });

  it.each<[string, ShapeTable, string, unknown, InputProblem | undefined]>([
    ['a valid request', ct, 'LookupEventsRequest', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }], MaxResults: 50 }, undefined],
    ['a range', ct, 'LookupEventsRequest', { MaxResults: 51 }, one("'51'", 'maxResults', 'Member must have value less than or equal to 50')],
    ['a range, low end', ct, 'LookupEventsRequest', { MaxResults: 0 }, one("'0'", 'maxResults', 'Member must have value greater than or equal to 1')],
    ['an enum', ct, 'LookupEventsRequest', { EventCategory: 'insights' }, one("'insights'", 'eventCategory', 'Member must satisfy enum value set: [insight]')],
    [
      'an enum in a list element',
      ct,
      'LookupEventsRequest',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }, { AttributeKey: 'Bogus', AttributeValue: 'x' }] },
      one(
        "'Bogus'",
        'lookupAttributes.2.member.attributeKey',
        'Member must satisfy enum value set: [EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId]',
      ),
    ],
    ['a list length', data, 'PutAuditEventsRequest', { channelArn: 'arn:x', auditEvents: [] }, one("'[]'", 'auditEvents', 'Member must have length greater than or equal to 1')],
    ['a pattern', data, 'PutAuditEventsRequest', { channelArn: 'channel', auditEvents: [{ id: '1', eventData: '{}' }] }, one("'channel'", 'channelArn', 'Member must satisfy regular expression pattern: ^arn:.*$')],
    [
      'a length and a pattern on one member',
      data,
      'PutAuditEventsRequest',
      { channelArn: 'arn:x', auditEvents: [{ id: '1', eventData: '{}' }], externalId: '#' },
      {
        kind: 'validation',
        message:
          "2 validation errors detected: Value '#' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
          "Value '#' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@:\\/-]*$",
      },
    ],
    [
      'map keys and values',
      ct,
      'StartDashboardRefreshRequest',
      { DashboardId: 'd', QueryParameterValues: { ab: 'ok', abc: '' } },
      {
        kind: 'validation',
        message:
          "2 validation errors detected: Value '{ab=ok, abc=}' at 'queryParameterValues' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 3]; " +
          "Value '{ab=ok, abc=}' at 'queryParameterValues' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^[a-zA-Z0-9._/\\-:]+$]",
      },
    ],
    [
      'a map size and an enum key',
      ct,
      'ListInsightsDataRequest',
      { InsightSource: 'arn:x', DataType: 'InsightsEvents', Dimensions: { EventName: 'a', Nope: 'b' } },
      {
        kind: 'validation',
        message:
          "2 validation errors detected: Value '{EventName=a, Nope=b}' at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 1; " +
          "Value '{EventName=a, Nope=b}' at 'dimensions' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [EventId, EventName, EventSource]]",
      },
    ],
    ['code points beyond the BMP match a Java surrogate-pair range', ct, 'PartitionKey', { Name: 'key 😀', Type: 'string' }, undefined],
    [
      'a control character outside that range',
      ct,
      'PartitionKey',
      { Name: 'a\u0001', Type: 'string' },
      one("'a\u0001'", 'name', 'Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*'),
    ],
    ['values of the wrong type are left to validateInput', ct, 'LookupEventsRequest', { MaxResults: 'x', EventCategory: 5 }, undefined],
  ])('%s', (_name, shapes, shapeName, value, expected) => {
    expect(checkConstraints(shapes, shapeName, value)).toEqual(expected);
  });
});
