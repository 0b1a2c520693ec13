import { describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../record.js';
import type { EventKind } from './classify.js';
import { eventKindOf, readOnlyOf, resourceArnOf, resourcesOf } from './classify.js';

const base: CloudTrailRecord = { eventVersion: '1.11', eventTime: '2026-01-31T12:00:00Z', awsRegion: 'us-east-1', eventID: 'e' };
const bucket = { ARN: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' };

describe('eventKindOf', () => {
  it.each<[string, Partial<CloudTrailRecord>, EventKind]>([
    ['eventCategory Management', { eventCategory: 'Management', managementEvent: true }, 'management'],
    ['eventCategory Data', { eventCategory: 'Data', managementEvent: false, resources: [bucket] }, 'data'],
    ['eventCategory Data even without resources', { eventCategory: 'Data' }, 'data'],
    ['eventCategory NetworkActivity', { eventCategory: 'NetworkActivity', managementEvent: false }, 'networkActivity'],
    ['eventCategory Insight', { eventCategory: 'Insight', eventType: 'AwsCloudTrailInsight' }, 'insight'],
    ['eventCategory ActivityAuditLog (custom)', { eventCategory: 'ActivityAuditLog', eventType: 'ActivityLog' }, 'custom'],
    ['an unknown eventCategory', { eventCategory: 'ConfigurationItem' }, 'other'],
    ['an eventCategory named like an Object member', { eventCategory: 'constructor' }, 'other'],
    ['eventCategory wins over a contradicting managementEvent', { eventCategory: 'Data', managementEvent: true }, 'data'],
    ['no eventCategory, managementEvent true (1.06)', { managementEvent: true }, 'management'],
    ['no eventCategory, managementEvent false with resources (1.06)', { managementEvent: false, resources: [bucket] }, 'data'],
    ['no eventCategory, managementEvent "false" (string) with resources', { managementEvent: 'false', resources: [bucket] }, 'data'],
    ['no eventCategory, managementEvent false without resources', { managementEvent: false }, 'other'],
    ['no eventCategory, managementEvent false with empty resources', { managementEvent: false, resources: [] }, 'other'],
    ['neither field (1.05)', { eventVersion: '1.05' }, 'management'],
    ['neither field, with resources (1.05 AssumeRole)', { eventVersion: '1.05', resources: [{ ARN: 'arn:aws:iam::1:role/r', type: 'AWS::IAM::Role' }] }, 'management'],
    ['neither field, Insights eventType', { eventType: 'AwsCloudTrailInsight' }, 'insight'],
    ['eventCategory null', { eventCategory: null as unknown as string, managementEvent: true }, 'management'],
  ])('%s', (_name, fields, kind) => {
    expect(eventKindOf({ ...base, ...fields })).toBe(kind);
  });
});

describe('readOnlyOf', () => {
  it.each<[unknown, boolean | undefined]>([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['TRUE', undefined],
    [1, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('readOnly %j → %j', (readOnly, expected) => {
    expect(readOnlyOf({ ...base, readOnly: readOnly as boolean })).toBe(expected);
  });
});

describe('resources', () => {
  it('ignores a malformed resources member and non-object entries', () => {
    expect(resourcesOf({ ...base, resources: 'x' as unknown as [] })).toEqual([]);
    expect(resourcesOf({ ...base, resources: [null, 1, bucket] as unknown as [] })).toEqual([bucket]);
  });

  it('matches a resource by ARN, else by ARNPrefix (S3 ListObjects)', () => {
    expect(resourceArnOf(bucket)).toBe('arn:aws:s3:::b');
    expect(resourceArnOf({ ARNPrefix: 'arn:aws:s3:::b/', type: 'AWS::S3::Object' })).toBe('arn:aws:s3:::b/');
    expect(resourceArnOf({ type: 'AWS::S3::Object' })).toBeUndefined();
  });
});
