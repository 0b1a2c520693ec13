import { describe, expect, it } from 'vitest';
import { matchLogEvent, parseFilterPattern } from '../filter-pattern/index.js';
import { CIS_4_1_AS_COMMONLY_COPIED, CIS_ALARM, CIS_CONTROLS, CIS_NAMESPACE } from './cis-pack.js';

/** A CloudTrail-shaped record: an IAM user's successful API call unless told otherwise. */
function record(fields: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
    eventTime: '2026-01-01T00:00:00Z',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    eventType: 'AwsApiCall',
    ...fields,
  });
}

function matches(id: string, message: string): boolean {
  const control = CIS_CONTROLS.find((c) => c.id === id);
  if (control === undefined) throw new Error(`no control ${id}`);
  return matchLogEvent(parseFilterPattern(control.pattern), message) !== undefined;
}

const nameOf = (message: string) => (JSON.parse(message) as { eventName: string }).eventName;
const ec2 = (eventName: string) => record({ eventSource: 'ec2.amazonaws.com', eventName });

const cases: [id: string, matching: string[], notMatching: string[]][] = [
  [
    '4.1',
    [
      record({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', errorCode: 'Client.UnauthorizedOperation' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'AccessDenied' }),
      record({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', errorCode: 'AccessDeniedException' }),
    ],
    [
      record({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'HeadBucket', errorCode: 'AccessDenied' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'PutObject', errorCode: 'AccessDenied', sourceIPAddress: 'delivery.logs.amazonaws.com' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'HeadBucket', errorCode: 'Client.UnauthorizedOperation' }),
      record({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: 'InsufficientInstanceCapacity' }),
    ],
  ],
  [
    '4.2',
    [record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } })],
    [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }),
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Failure' } }),
      record({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        userIdentity: { type: 'AssumedRole' },
        additionalEventData: { MFAUsed: 'No' },
        responseElements: { ConsoleLogin: 'Success' },
      }),
    ],
  ],
  [
    '4.3',
    [record({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } })],
    [
      record({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', userIdentity: { type: 'Root', invokedBy: 'cloudtrail.amazonaws.com' } }),
      record({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: { type: 'Root' }, eventType: 'AwsServiceEvent' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }),
    ],
  ],
  [
    '4.4',
    ['PutRolePolicy', 'DeletePolicyVersion', 'AttachGroupPolicy', 'DetachUserPolicy', 'CreatePolicy'].map((eventName) => record({ eventSource: 'iam.amazonaws.com', eventName })),
    ['ListPolicies', 'GetPolicy', 'CreateUser', 'PutRolePolicyX'].map((eventName) => record({ eventSource: 'iam.amazonaws.com', eventName })),
  ],
  [
    '4.5',
    ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'CreateTrail', 'StartLogging'].map((eventName) => record({ eventSource: 'cloudtrail.amazonaws.com', eventName })),
    ['LookupEvents', 'DescribeTrails', 'GetTrailStatus'].map((eventName) => record({ eventSource: 'cloudtrail.amazonaws.com', eventName })),
  ],
  [
    '4.6',
    [record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } })],
    [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' } }),
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', errorMessage: 'failed authentication' }),
    ],
  ],
  [
    '4.7',
    ['DisableKey', 'ScheduleKeyDeletion'].map((eventName) => record({ eventSource: 'kms.amazonaws.com', eventName })),
    [record({ eventSource: 'kms.amazonaws.com', eventName: 'EnableKey' }), record({ eventSource: 'other.amazonaws.com', eventName: 'DisableKey' })],
  ],
  [
    '4.8',
    ['PutBucketPolicy', 'DeleteBucketCors', 'PutBucketAcl', 'DeleteBucketReplication'].map((eventName) => record({ eventSource: 's3.amazonaws.com', eventName })),
    [record({ eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy' }), record({ eventSource: 's3.amazonaws.com', eventName: 'PutObject' })],
  ],
  [
    '4.9',
    ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'].map((eventName) => record({ eventSource: 'config.amazonaws.com', eventName })),
    [record({ eventSource: 'config.amazonaws.com', eventName: 'StartConfigurationRecorder' }), record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' })],
  ],
  ['4.10', ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'DeleteSecurityGroup', 'ModifySecurityGroupRules'].map(ec2), ['DescribeSecurityGroups', 'CreateVpc'].map(ec2)],
  ['4.11', ['CreateNetworkAcl', 'ReplaceNetworkAclAssociation', 'DeleteNetworkAclEntry'].map(ec2), ['DescribeNetworkAcls', 'CreateRoute'].map(ec2)],
  ['4.12', ['CreateCustomerGateway', 'DetachInternetGateway', 'AttachInternetGateway'].map(ec2), ['DescribeInternetGateways', 'CreateNatGateway'].map(ec2)],
  [
    '4.13',
    ['CreateRoute', 'ReplaceRouteTableAssociation', 'DisassociateRouteTable', 'DeleteRoute'].map(ec2),
    [ec2('DescribeRouteTables'), record({ eventSource: 'other.amazonaws.com', eventName: 'CreateRoute' })],
  ],
  ['4.14', ['CreateVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'EnableVpcClassicLink'].map(ec2), ['DescribeVpcs', 'CreateSubnet'].map(ec2)],
  [
    '4.15',
    ['CreateAccount', 'LeaveOrganization', 'MoveAccount', 'UpdatePolicy', 'AcceptHandshake'].map((eventName) => record({ eventSource: 'organizations.amazonaws.com', eventName })),
    [record({ eventSource: 'organizations.amazonaws.com', eventName: 'ListAccounts' }), record({ eventSource: 'iam.amazonaws.com', eventName: 'CreatePolicy' })],
  ],
];

describe('the CIS pack', () => {
  it('has the 15 controls 4.1-4.15, each parsing, with unique names', () => {
    expect(CIS_CONTROLS.map((c) => c.id)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    for (const c of CIS_CONTROLS) expect(() => parseFilterPattern(c.pattern), c.id).not.toThrow();
    expect(new Set(CIS_CONTROLS.map((c) => c.metricName)).size).toBe(15);
    expect(new Set(CIS_CONTROLS.map((c) => c.alarmName)).size).toBe(15);
    expect(CIS_CONTROLS.every((c) => c.pattern.length <= 1024)).toBe(true);
  });

  it('uses the CIS alarm convention', () => {
    expect(CIS_NAMESPACE).toBe('CISBenchmark');
    expect(CIS_ALARM).toMatchObject({ statistic: 'Sum', period: 300, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, treatMissingData: 'notBreaching' });
  });

  describe.each(cases)('%s', (id, matching, notMatching) => {
    it.each(matching.map((m) => [nameOf(m), m]))('matches %s', (_name, message) => expect(matches(id, message)).toBe(true));
    it.each(notMatching.map((m, i) => [`${i}: ${nameOf(m)}`, m]))('does not match %s', (_name, message) => expect(matches(id, message)).toBe(false));
  });

  describe('4.1 and the precedence trap', () => {
    const copied = parseFilterPattern(CIS_4_1_AS_COMMONLY_COPIED);
    const unauthorizedOnHeadBucket = record({ eventSource: 's3.amazonaws.com', eventName: 'HeadBucket', errorCode: 'Client.UnauthorizedOperation' });
    const unauthorizedFromDelivery = record({ eventSource: 'ec2.amazonaws.com', eventName: 'X', errorCode: 'Client.UnauthorizedOperation', sourceIPAddress: 'delivery.logs.amazonaws.com' });
    const deniedOnHeadBucket = record({ eventSource: 's3.amazonaws.com', eventName: 'HeadBucket', errorCode: 'AccessDenied' });

    it('the copied text applies its exclusions only to AccessDenied* (&& binds tighter than ||)', () => {
      expect(matchLogEvent(copied, unauthorizedOnHeadBucket)).toBeDefined();
      expect(matchLogEvent(copied, unauthorizedFromDelivery)).toBeDefined();
      expect(matchLogEvent(copied, deniedOnHeadBucket)).toBeUndefined();
      // It reads as A || (B && C && D), the same as that text written with those parentheses.
      const explicit = parseFilterPattern(
        '{ ($.errorCode = "*UnauthorizedOperation") || (($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket")) }',
      );
      for (const m of [unauthorizedOnHeadBucket, unauthorizedFromDelivery, deniedOnHeadBucket]) expect(matchLogEvent(explicit, m) !== undefined).toBe(matchLogEvent(copied, m) !== undefined);
    });

    it('our 4.1 applies the exclusions to both error kinds, as CIS intends', () => {
      for (const m of [unauthorizedOnHeadBucket, unauthorizedFromDelivery, deniedOnHeadBucket]) expect(matches('4.1', m)).toBe(false);
    });
  });
});
