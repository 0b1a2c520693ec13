import { describe, expect, it } from 'vitest';
import { samplesAvailable, sampleFiles, sampleText } from '../../test/support/samples.js';
import { lookupResourcesOf, MAX_NAME_LENGTH, MAX_RESOURCES } from './lookup-resources.js';
import type { CloudTrailRecord } from './record.js';

function record(eventSource: string, fields: Partial<CloudTrailRecord>): CloudTrailRecord {
  return { eventVersion: '1.09', eventTime: '2026-01-01T00:00:00Z', awsRegion: 'us-east-1', eventID: 'e', eventSource, ...fields };
}

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

describe('lookupResourcesOf', () => {
  it.each([
    ['s3: the bucket by name, from its ARN and bucketName', record('s3.amazonaws.com', { requestParameters: { bucketName: 'finance' }, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::finance', accountId: '1' }] }), [{ type: 'AWS::S3::Bucket', name: 'finance' }]],
    ['s3: CreateBucket (no resources member)', record('s3.amazonaws.com', { requestParameters: { bucketName: 'new' } }), [{ type: 'AWS::S3::Bucket', name: 'new' }]],
    [
      's3: a data event keeps the object (by ARNPrefix)',
      record('s3.amazonaws.com', { requestParameters: { bucketName: 'b' }, resources: [{ type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::b/' }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' }] }),
      [{ type: 'AWS::S3::Object', name: 'arn:aws:s3:::b/' }, { type: 'AWS::S3::Bucket', name: 'b' }],
    ],
    ['iam: user and policy', record('iam.amazonaws.com', { requestParameters: { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/Admin' } }), [{ type: 'AWS::IAM::User', name: 'alice' }, { type: 'AWS::IAM::Policy', name: 'arn:aws:iam::aws:policy/Admin' }]],
    ['iam: role', record('iam.amazonaws.com', { requestParameters: { roleName: 'r' } }), [{ type: 'AWS::IAM::Role', name: 'r' }]],
    ['iam: group', record('iam.amazonaws.com', { requestParameters: { groupName: 'g' } }), [{ type: 'AWS::IAM::Group', name: 'g' }]],
    [
      'iam: CreateAccessKey names the new key',
      record('iam.amazonaws.com', { requestParameters: { userName: 'alice' }, responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLE', userName: 'alice' } } }),
      [{ type: 'AWS::IAM::User', name: 'alice' }, { type: 'AWS::IAM::AccessKey', name: 'AKIAEXAMPLE' }],
    ],
    [
      'ec2: instances of request and answer, de-duplicated',
      record('ec2.amazonaws.com', { requestParameters: { instancesSet: { items: [{ instanceId: 'i-1' }] } }, responseElements: { instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }] } } }),
      [{ type: 'AWS::EC2::Instance', name: 'i-1' }, { type: 'AWS::EC2::Instance', name: 'i-2' }],
    ],
    [
      'ec2: group, vpc, subnet, volume',
      record('ec2.amazonaws.com', { requestParameters: { groupId: 'sg-1', vpcId: 'vpc-1', subnetId: 'subnet-1', volumeId: 'vol-1' } }),
      [{ type: 'AWS::EC2::SecurityGroup', name: 'sg-1' }, { type: 'AWS::EC2::VPC', name: 'vpc-1' }, { type: 'AWS::EC2::Subnet', name: 'subnet-1' }, { type: 'AWS::EC2::Volume', name: 'vol-1' }],
    ],
    ['ec2: CreateSecurityGroup names the new group', record('ec2.amazonaws.com', { requestParameters: { groupName: 'g' }, responseElements: { groupId: 'sg-9' } }), [{ type: 'AWS::EC2::SecurityGroup', name: 'sg-9' }]],
    ['cloudtrail: the trail ARN of the answer', record('cloudtrail.amazonaws.com', { requestParameters: { name: 't' }, responseElements: { trailARN: TRAIL } }), [{ type: 'AWS::CloudTrail::Trail', name: TRAIL }]],
    ['cloudtrail: else the name given', record('cloudtrail.amazonaws.com', { requestParameters: { name: 't' } }), [{ type: 'AWS::CloudTrail::Trail', name: 't' }]],
    ['cloudtrail: the record’s own trail resource wins', record('cloudtrail.amazonaws.com', { requestParameters: { name: 't' }, resources: [{ type: 'AWS::CloudTrail::Trail', ARN: TRAIL }] }), [{ type: 'AWS::CloudTrail::Trail', name: TRAIL }]],
    ['kms: keyId', record('kms.amazonaws.com', { requestParameters: { keyId: 'alias/a' } }), [{ type: 'AWS::KMS::Key', name: 'alias/a' }]],
    ['secretsmanager: secretId', record('secretsmanager.amazonaws.com', { requestParameters: { secretId: 's' } }), [{ type: 'AWS::SecretsManager::Secret', name: 's' }]],
    ['secretsmanager: CreateSecret by the new ARN', record('secretsmanager.amazonaws.com', { requestParameters: { name: 's' }, responseElements: { arn: 'arn:s' } }), [{ type: 'AWS::SecretsManager::Secret', name: 'arn:s' }]],
    ['ssm: parameter names', record('ssm.amazonaws.com', { requestParameters: { names: ['/a', '/b'] } }), [{ type: 'AWS::SSM::Parameter', name: '/a' }, { type: 'AWS::SSM::Parameter', name: '/b' }]],
    ['lambda: the function', record('lambda.amazonaws.com', { requestParameters: { functionName: 'f' } }), [{ type: 'AWS::Lambda::Function', name: 'f' }]],
    ['an unknown source: its own resources only', record('x.amazonaws.com', { requestParameters: { name: 'n' }, resources: [{ type: 'T', ARN: 'a' }] }), [{ type: 'T', name: 'a' }]],
  ])('%s', (_name, input, expected) => {
    expect(lookupResourcesOf(input)).toEqual(expected);
  });

  it('is bounded and accepts oddly typed members', () => {
    const many = { items: Array.from({ length: 500 }, (_, i) => ({ instanceId: `i-${i}` })) };
    expect(lookupResourcesOf(record('ec2.amazonaws.com', { requestParameters: { instancesSet: many }, responseElements: { instancesSet: many } }))).toHaveLength(MAX_RESOURCES);
    const long = lookupResourcesOf(record('s3.amazonaws.com', { requestParameters: { bucketName: 'b'.repeat(10_000) } }));
    expect(long[0]!.name).toHaveLength(MAX_NAME_LENGTH);
    for (const odd of [{ requestParameters: 'x' }, { requestParameters: { instancesSet: { items: 'x' } } }, { resources: 'x' }, { resources: [null, 1, 'x'] }, { responseElements: { accessKey: null } }]) {
      expect(() => lookupResourcesOf(record('ec2.amazonaws.com', odd as Partial<CloudTrailRecord>))).not.toThrow();
      expect(() => lookupResourcesOf(record('iam.amazonaws.com', odd as Partial<CloudTrailRecord>))).not.toThrow();
    }
  });
});

describe.skipIf(!samplesAvailable())('lookupResourcesOf on the real samples', () => {
  const records = (): CloudTrailRecord[] => sampleFiles().flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CloudTrailRecord[] }).Records);

  it('never throws and stays bounded', () => {
    for (const r of records()) {
      const resources = lookupResourcesOf(r);
      expect(resources.length).toBeLessThanOrEqual(MAX_RESOURCES);
    }
  });

  it.each([
    ['CreateAccessKey', 'iam.amazonaws.com', 'AWS::IAM::AccessKey', 'AKIAL80DWDVKKM0UXEER'],
    ['GetBucketAcl', 's3.amazonaws.com', 'AWS::S3::Bucket', 'baker221b-bucketssecuritylogsbef08b3e-13nrzhi7fcs7w'],
    ['CreateTrail', 'cloudtrail.amazonaws.com', 'AWS::CloudTrail::Trail', 'arn:aws:cloudtrail:us-east-1:123837392027:trail/stratus-red-team-ctlr-trail-zqfsvooxqj'],
    ['TerminateInstances', 'ec2.amazonaws.com', 'AWS::EC2::Instance', 'i-0dbc91f429e48eeed'],
    ['CreateSecurityGroup', 'ec2.amazonaws.com', 'AWS::EC2::SecurityGroup', 'sg-04cfb7a4712d75b00'],
    ['AttachRolePolicy', 'iam.amazonaws.com', 'AWS::IAM::Policy', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ['Decrypt', 'kms.amazonaws.com', 'AWS::KMS::Key', 'arn:aws:kms:us-east-1:123837392027:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8'],
    ['GetSecretValue', 'secretsmanager.amazonaws.com', 'AWS::SecretsManager::Secret', 'arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-18-4Rzn83'],
  ])('%s names %s %s', (eventName, eventSource, type, name) => {
    const all = records().filter((r) => r.eventName === eventName && r.eventSource === eventSource);
    expect(all.some((r) => lookupResourcesOf(r).some((res) => res.type === type && res.name === name)), `${eventName} ${type} ${name}`).toBe(true);
  });
});
