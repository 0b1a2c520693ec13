/**
 * Our record form against real CloudTrail records: for each eventName we can reproduce, the
 * ForwardedCall the gateway would see for that call is built by hand, and the set of
 * requestParameters keys (and, for S3, of additionalEventData keys and resource types) must be
 * the real record's, up to the differences listed with their reason.
 */
import { describe, expect, it } from 'vitest';
import type { ForwardedCall } from '../contract.js';
import type { CloudTrailRecord } from '../../../core/record.js';
import { call, formBody, jsonBody, route, serviceModel } from '../../../../test/support/gateway-calls.js';
import { samplesAvailable, sampleFiles, sampleText } from '../../../../test/support/samples.js';
import { recordFormOf } from './index.js';
import { forwardedCallRecord } from '../forwarded-record.js';

/**
 * Top-level members a real record can have that ours cannot, with the reason. Everything else
 * must be the same set, both ways.
 */
const TOP_LEVEL_ABSENT: Readonly<Record<string, string>> = {
  tlsDetails: 'only over TLS; these cases are plain HTTP',
  sessionCredentialFromConsole: 'console sessions: OpenTrail has no console sign-in yet',
  vpcEndpointId: 'calls through a VPC endpoint',
  vpcEndpointAccountId: 'calls through a VPC endpoint',
  sharedEventID: 'calls recorded in two accounts',
  apiVersion: 'written by some services for some calls only',
  errorCode: 'the sample chosen may have failed',
  errorMessage: 'the sample chosen may have failed',
  serviceEventDetails: 'service events, not API calls',
  edgeDeviceDetails: 'Outposts and edge devices',
};

/** Members records of older eventVersions lack, which ours (1.11) always has. */
const NEWER_THAN_SAMPLE = new Set(['eventCategory', 'managementEvent', 'recipientAccountId', 'readOnly', 'additionalEventData', 'resources']);

const s3 = serviceModel('s3', 'rest-xml');
const ec2 = serviceModel('ec2', 'ec2');
const lambda = serviceModel('lambda', 'rest-json', [
  route('GetFunction', 'GET', '/2015-03-31/functions/{FunctionName}', [{ member: 'FunctionName', location: 'uri', wireName: 'FunctionName' }]),
  route('ListVersionsByFunction', 'GET', '/2015-03-31/functions/{FunctionName}/versions', [
    { member: 'FunctionName', location: 'uri', wireName: 'FunctionName' },
    { member: 'MaxItems', location: 'querystring', wireName: 'MaxItems' },
  ]),
  route('AddPermission', 'POST', '/2015-03-31/functions/{FunctionName}/policy', [{ member: 'FunctionName', location: 'uri', wireName: 'FunctionName' }]),
  route('CreateFunction', 'POST', '/2015-03-31/functions', []),
  route('DeleteFunction', 'DELETE', '/2015-03-31/functions/{FunctionName}', [{ member: 'FunctionName', location: 'uri', wireName: 'FunctionName' }]),
]);

interface Case {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  call: ForwardedCall;
  /** Keys of the real record we cannot know, with the reason. */
  missing?: Record<string, string>;
}

function s3Case(eventName: string, method: string, path: string, query = '', headers: Record<string, string> = {}, missing?: Record<string, string>): Case {
  const host = 'finance.s3.amazonaws.com';
  const operation = eventName === 'ListObjects' ? 'ListObjectsV2' : eventName;
  return {
    eventSource: 's3.amazonaws.com',
    eventName,
    readOnly: method === 'GET' || method === 'HEAD',
    call: call({ model: s3, operation, eventName, request: { method, path, query, headers, host }, response: { headers: { 'x-amz-id-2': 'id2', 'x-amz-request-id': 'R' }, bytesOut: 10 } }),
    ...(missing !== undefined && { missing }),
  };
}

function jsonCase(service: string, eventName: string, readOnly: boolean, input: unknown, output: unknown = {}, missing?: Record<string, string>): Case {
  return {
    eventSource: `${service}.amazonaws.com`,
    eventName,
    readOnly,
    call: call({ model: serviceModel(service, 'json'), operation: eventName, request: { method: 'POST', body: jsonBody(input) }, response: { body: jsonBody(output) } }),
    ...(missing !== undefined && { missing }),
  };
}

function ec2Case(eventName: string, readOnly: boolean, params: Record<string, string>, answer?: string): Case {
  const request = { method: 'POST', body: formBody({ Action: eventName, Version: '2016-11-15', ...params }) };
  return { eventSource: 'ec2.amazonaws.com', eventName, readOnly, call: call({ model: ec2, operation: eventName, request, response: answer === undefined ? {} : { body: Buffer.from(answer) } }) };
}

function lambdaCase(eventName: string, operation: string, method: string, labels: Record<string, string>, query: string, input?: unknown, output?: unknown): Case {
  return {
    eventSource: 'lambda.amazonaws.com',
    eventName,
    readOnly: method === 'GET',
    call: call({ model: lambda, operation, eventName, uriParams: labels, request: { method, query, ...(input !== undefined && { body: jsonBody(input) }) }, response: output === undefined ? {} : { body: jsonBody(output) } }),
  };
}

const BODY = 'parsed from the request body, which the gateway streams for S3 and never records';

const CASES: Case[] = [
  s3Case('GetObject', 'GET', '/finance/ring.txt'),
  s3Case('ListObjects', 'GET', '/finance', 'list-type=2&prefix=&encoding-type=url'),
  s3Case('ListBuckets', 'GET', '/'),
  s3Case('GetBucketAcl', 'GET', '/finance', 'acl'),
  s3Case('GetBucketLocation', 'GET', '/finance', 'location'),
  s3Case('GetBucketVersioning', 'GET', '/finance', 'versioning'),
  s3Case('GetBucketPolicy', 'GET', '/finance', 'policy'),
  s3Case('DeleteBucketPolicy', 'DELETE', '/finance', 'policy'),
  s3Case('CreateBucket', 'PUT', '/finance', '', { 'x-amz-acl': 'private' }),
  s3Case('DeleteBucket', 'DELETE', '/finance'),
  s3Case('PutBucketPolicy', 'PUT', '/finance', 'policy', {}, { bucketPolicy: BODY }),
  s3Case('PutBucketTagging', 'PUT', '/finance', 'tagging', {}, { Tagging: BODY }),
  s3Case('GetBucketEncryption', 'GET', '/finance', 'encryption'),
  jsonCase('kms', 'Decrypt', false, { CiphertextBlob: 'AQIDBAUG', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', EncryptionContext: { SecretARN: 'arn:s', SecretVersionId: 'v' } }, { KeyId: 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-0000-4000-8000-000000000000' }),
  jsonCase('kms', 'Encrypt', false, { KeyId: 'alias/aws/ssm', Plaintext: 'c2VjcmV0', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', EncryptionContext: { PARAMETER_ARN: 'arn:p' } }, { KeyId: 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-0000-4000-8000-000000000000' }),
  jsonCase('kms', 'GenerateDataKey', false, { KeyId: 'alias/aws/secretsmanager', KeySpec: 'AES_256', EncryptionContext: { SecretARN: 'arn:s' } }, { KeyId: 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-0000-4000-8000-000000000000' }),
  jsonCase('secretsmanager', 'GetSecretValue', true, { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:s', VersionId: 'v' }),
  jsonCase('secretsmanager', 'CreateSecret', false, { Name: 's', ClientRequestToken: 't', Description: '', SecretString: 'hunter2', ForceOverwriteReplicaSecret: false }, { ARN: 'arn:s', Name: 's', VersionId: 'v' }),
  jsonCase('secretsmanager', 'PutSecretValue', false, { SecretId: 'arn:s', ClientRequestToken: 't', SecretString: 'hunter2' }, { ARN: 'arn:s', Name: 's', VersionId: 'v' }),
  jsonCase('secretsmanager', 'DeleteSecret', false, { SecretId: 'arn:s', ForceDeleteWithoutRecovery: true }, { ARN: 'arn:s', Name: 's', DeletionDate: 1 }),
  jsonCase('secretsmanager', 'DescribeSecret', true, { SecretId: 'arn:s' }),
  jsonCase('ssm', 'PutParameter', false, { Name: '/credentials/c', Value: 'hunter2', Type: 'SecureString', Overwrite: false, AllowedPattern: '', Tags: [{ Key: 'k', Value: 'true' }], Tier: 'Standard' }, { Version: 1, Tier: 'Standard' }),
  jsonCase('ssm', 'GetParameter', true, { Name: '/credentials/c', WithDecryption: true }),
  jsonCase('ssm', 'GetParameters', true, { Names: ['/a', '/b'], WithDecryption: true }),
  jsonCase('ssm', 'DeleteParameter', false, { Name: '/credentials/c' }),
  jsonCase('ssm', 'DescribeParameters', true, { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['x'] }], Shared: false }),
  lambdaCase('GetFunction20150331v2', 'GetFunction', 'GET', { FunctionName: 'f' }, ''),
  lambdaCase('ListVersionsByFunction20150331', 'ListVersionsByFunction', 'GET', { FunctionName: 'f' }, 'MaxItems=10000'),
  lambdaCase('AddPermission20150331v2', 'AddPermission', 'POST', { FunctionName: 'f' }, '', { StatementId: 'backdoor', Action: 'lambda:InvokeFunction', Principal: '*' }, { Statement: '{"Sid":"backdoor"}' }),
  lambdaCase('CreateFunction20150331', 'CreateFunction', 'POST', {}, '', {
    FunctionName: 'f', Runtime: 'nodejs18.x', Role: 'arn:r', Handler: 'index.test', Code: { S3Bucket: 'b', S3Key: 'k' }, Description: '', Timeout: 3, MemorySize: 128, Publish: false, PackageType: 'Zip', Environment: { Variables: { A: 'b' } }, Tags: { StratusRedTeam: 'true' },
  }, { FunctionName: 'f', FunctionArn: 'arn:f', Environment: { Variables: { A: 'b' } } }),
  lambdaCase('DeleteFunction20150331', 'DeleteFunction', 'DELETE', { FunctionName: 'f' }, ''),
  ec2Case('DescribeInstances', true, { 'InstanceId.1': 'i-1' }),
  ec2Case('RunInstances', false, {
    ImageId: 'ami-1', MinCount: '1', MaxCount: '1', InstanceType: 't3.micro', 'Monitoring.Enabled': 'false', DisableApiTermination: 'false', DisableApiStop: 'false', ClientToken: 'c',
    'NetworkInterface.1.NetworkInterfaceId': 'eni-1', 'NetworkInterface.1.DeviceIndex': '0', 'NetworkInterface.1.DeleteOnTermination': 'false', 'IamInstanceProfile.Name': 'p', EbsOptimized: 'false',
    'TagSpecification.1.ResourceType': 'instance', 'TagSpecification.1.Tag.1.Key': 'k', 'TagSpecification.1.Tag.1.Value': 'true', 'CreditSpecification.CpuCredits': 'unlimited', 'HibernationOptions.Configured': 'false',
  }),
  ec2Case(
    'CreateSecurityGroup',
    false,
    { GroupName: 'g', GroupDescription: 'd', VpcId: 'vpc-1', 'TagSpecification.1.ResourceType': 'security-group', 'TagSpecification.1.Tag.1.Key': 'k', 'TagSpecification.1.Tag.1.Value': 'v' },
    '<CreateSecurityGroupResponse><requestId>r</requestId><return>true</return><groupId>sg-1</groupId><tagSet><item><key>k</key><value>v</value></item></tagSet></CreateSecurityGroupResponse>',
  ),
  ec2Case('AuthorizeSecurityGroupIngress', false, { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' }),
  ec2Case('TerminateInstances', false, { 'InstanceId.1': 'i-1' }),
  ec2Case('DescribeVolumes', true, { 'VolumeId.1': 'vol-1' }),
  ec2Case('DescribeSecurityGroups', true, { 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'default' }),
  ec2Case('DeleteSecurityGroup', false, { GroupId: 'sg-1' }),
];

const keys = (value: unknown): string[] => (value !== null && typeof value === 'object' ? Object.keys(value).sort() : []);

describe.skipIf(!samplesAvailable())('record forms against real CloudTrail records', () => {
  const records = sampleFiles().flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CloudTrailRecord[] }).Records);

  /**
   * The real record to compare with: one of the most common requestParameters key set among the
   * successful records of that eventName (the most complete on a tie), else among all.
   */
  function realRecord(c: Case): CloudTrailRecord | undefined {
    const all = records.filter((r) => r.eventSource === c.eventSource && r.eventName === c.eventName && r.requestParameters !== null && typeof r.requestParameters === 'object');
    const ok = all.filter((r) => r.errorCode === undefined);
    const groups = new Map<string, CloudTrailRecord[]>();
    for (const r of ok.length > 0 ? ok : all) {
      const key = keys(r.requestParameters).join(',');
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const ranked = [...groups.values()].sort((a, b) => b.length - a.length || keys(b[0]!.requestParameters).length - keys(a[0]!.requestParameters).length);
    return ranked[0]?.[0];
  }

  it('covers at least 15 distinct eventNames', () => {
    expect(new Set(CASES.map((c) => c.eventName)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES.map((c) => [c.eventName, c] as const))('%s', (_name, c) => {
    const real = realRecord(c);
    expect(real, `a real ${c.eventName} record`).toBeDefined();
    const form = recordFormOf(c.call, { eventName: c.eventName, readOnly: c.readOnly });
    const expected = keys(real!.requestParameters).filter((key) => c.missing?.[key] === undefined);
    expect(keys(form.requestParameters)).toEqual(expected);
    if (c.eventSource === 's3.amazonaws.com') {
      expect(keys(form.additionalEventData)).toEqual(keys(real!.additionalEventData));
      expect((form.resources ?? []).map((r) => r.type)).toEqual((real!.resources ?? []).map((r) => r.type));
    }
    const ours = forwardedCallRecord(
      {
        identity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/u', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE', userName: 'u' },
        accountId: '111122223333',
        eventSource: c.eventSource,
        region: 'us-east-1',
        timeMs: 0,
        sourceIPAddress: '127.0.0.1',
        userAgent: 'test',
        eventId: 'e',
        gatewayRequestId: 'r',
      },
      form,
    );
    const realTop = keys(real).filter((key) => TOP_LEVEL_ABSENT[key] === undefined);
    const ourTop = keys(ours).filter((key) => TOP_LEVEL_ABSENT[key] === undefined && !(NEWER_THAN_SAMPLE.has(key) && !realTop.includes(key)));
    expect(ourTop, 'top-level members').toEqual(realTop);
    // Answers: only where the case gives the upstream's answer.
    if (real!.errorCode === undefined && (c.readOnly || c.call.response?.body !== undefined)) {
      expect(form.responseElements === null, `responseElements null as in the real ${c.eventName}`).toBe(real!.responseElements === null);
      // Member sets of answers are compared where the case's answer is the real call's (not EC2's and Lambda's long ones).
      const fullAnswer = c.eventSource !== 'ec2.amazonaws.com' && c.eventSource !== 'lambda.amazonaws.com';
      if (form.responseElements !== null && fullAnswer) expect(keys(form.responseElements)).toEqual(keys(real!.responseElements));
    }
  });
});
