import { describe, expect, it } from 'vitest';
import { call, formBody, serviceModel, xmlBody } from '../../../../test/support/gateway-calls.js';
import { recordFormOf } from './index.js';

const ec2 = serviceModel('ec2', 'ec2');
const sns = serviceModel('sns', 'query');

function ec2Call(params: Record<string, string>, response?: { status?: number; body?: Buffer }) {
  return call({ model: ec2, operation: params.Action, request: { method: 'POST', body: formBody({ Version: '2016-11-15', ...params }) }, response: response ?? {} });
}

describe('EC2 requestParameters in CloudTrail form', () => {
  it.each([
    ['DescribeInstances (nothing sent)', { Action: 'DescribeInstances' }, { filterSet: {}, instancesSet: {} }],
    ['DescribeInstances', { Action: 'DescribeInstances', 'InstanceId.1': 'i-1', 'InstanceId.2': 'i-2' }, { instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }] }, filterSet: {} }],
    [
      'DescribeSecurityGroups with filters',
      { Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'default', 'Filter.2.Name': 'vpc-id', 'Filter.2.Value.1': 'vpc-1' },
      {
        filterSet: { items: [{ name: 'group-name', valueSet: { items: [{ value: 'default' }] } }, { name: 'vpc-id', valueSet: { items: [{ value: 'vpc-1' }] } }] },
        securityGroupSet: {},
        securityGroupIdSet: {},
      },
    ],
    [
      'RunInstances',
      { Action: 'RunInstances', ImageId: 'ami-1', MinCount: '1', MaxCount: '2', InstanceType: 't3.micro', 'Monitoring.Enabled': 'false', 'IamInstanceProfile.Name': 'p', UserData: 'IyEvYmluL3No', 'TagSpecification.1.ResourceType': 'instance', 'TagSpecification.1.Tag.1.Key': 'k', 'TagSpecification.1.Tag.1.Value': 'true' },
      {
        instancesSet: { items: [{ imageId: 'ami-1', minCount: 1, maxCount: 2 }] },
        instanceType: 't3.micro',
        monitoring: { enabled: false },
        iamInstanceProfile: { name: 'p' },
        userData: '<sensitiveDataRemoved>',
        tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'k', value: 'true' }] }] },
        blockDeviceMapping: {},
      },
    ],
    [
      'AuthorizeSecurityGroupIngress',
      { Action: 'AuthorizeSecurityGroupIngress', GroupId: 'sg-1', 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '443', 'IpPermissions.1.ToPort': '443', 'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0' },
      { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
    ],
    ['CreateSecurityGroup', { Action: 'CreateSecurityGroup', GroupName: 'g', GroupDescription: 'd', VpcId: 'vpc-1' }, { groupName: 'g', groupDescription: 'd', vpcId: 'vpc-1' }],
    ['an unknown list', { Action: 'DescribeThings', 'ThingId.1': 't-1' }, { thingIdSet: { items: [{ thingId: 't-1' }] } }],
  ])('%s', (_name, params, expected) => {
    expect(recordFormOf(ec2Call(params), { eventName: params.Action, readOnly: true }).requestParameters).toEqual(expected);
  });

  it('reads a GET request from its query string', () => {
    const form = recordFormOf(call({ model: ec2, request: { method: 'GET', query: 'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-9' } }), { eventName: 'DescribeInstances', readOnly: true });
    expect(form.requestParameters).toEqual({ instancesSet: { items: [{ instanceId: 'i-9' }] }, filterSet: {} });
  });
});

describe('EC2 responseElements and errors', () => {
  it('records a write answer in CloudTrail form', () => {
    const body = xmlBody(
      '<CreateSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><return>true</return><groupId>sg-1</groupId><tagSet><item><key>k</key><value>true</value></item></tagSet></CreateSecurityGroupResponse>',
    );
    const form = recordFormOf(ec2Call({ Action: 'CreateSecurityGroup', GroupName: 'g' }, { body }), { eventName: 'CreateSecurityGroup', readOnly: false });
    expect(form.responseElements).toEqual({ requestId: 'r-1', _return: true, groupId: 'sg-1', tagSet: { items: [{ key: 'k', value: 'true' }] } });
    expect(form.requestId).toBe('r-1');
  });

  it('records instance states and launch times as CloudTrail does', () => {
    const body = xmlBody(
      '<RunInstancesResponse><requestId>r</requestId><groupSet/><instancesSet><item><instanceId>i-1</instanceId><instanceState><code>0</code><name>pending</name></instanceState><launchTime>2023-07-10T11:55:21.000Z</launchTime></item></instancesSet></RunInstancesResponse>',
    );
    const form = recordFormOf(ec2Call({ Action: 'RunInstances', ImageId: 'ami-1' }, { body }), { eventName: 'RunInstances', readOnly: false });
    expect(form.responseElements).toEqual({ requestId: 'r', groupSet: {}, instancesSet: { items: [{ instanceId: 'i-1', instanceState: { code: 0, name: 'pending' }, launchTime: 1688990121000 }] } });
  });

  it('has null responseElements for reads', () => {
    const body = xmlBody('<DescribeInstancesResponse><requestId>r</requestId><reservationSet/></DescribeInstancesResponse>');
    expect(recordFormOf(ec2Call({ Action: 'DescribeInstances' }, { body }), { eventName: 'DescribeInstances', readOnly: true }).responseElements).toBeNull();
  });

  it.each([
    [403, 'UnauthorizedOperation', 'Client.UnauthorizedOperation'],
    [400, 'InvalidInstanceID.Malformed', 'Client.InvalidInstanceID.Malformed'],
    [503, 'Unavailable', 'Server.Unavailable'],
  ])('records an error %s %s as %s', (status, code, recorded) => {
    const body = xmlBody(`<Response><Errors><Error><Code>${code}</Code><Message>no &amp; no</Message></Error></Errors><RequestID>E-1</RequestID></Response>`);
    const form = recordFormOf(ec2Call({ Action: 'StopInstances', 'InstanceId.1': 'x' }, { status, body }), { eventName: 'StopInstances', readOnly: false });
    expect(form.error).toEqual({ code: recorded, message: 'no & no' });
    expect(form.requestId).toBe('E-1');
    expect(form.responseElements).toBeNull();
  });
});

describe('Query (SNS)', () => {
  it('folds dotted members into a plain nested form', () => {
    const body = formBody({ Action: 'CreateTopic', Version: '2010-03-31', Name: 't', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'T', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
    const form = recordFormOf(call({ model: sns, operation: 'CreateTopic', request: { method: 'POST', body } }), { eventName: 'CreateTopic', readOnly: false });
    expect(form.requestParameters).toEqual({ name: 't', attributes: [{ key: 'DisplayName', value: 'T' }], tags: [{ key: 'k', value: 'v' }] });
  });

  it('never records what a message says, in Publish or in PublishBatch entries', () => {
    const publish = formBody({ Action: 'Publish', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'the secret', Subject: 'hush', 'MessageAttributes.entry.1.Name': 'k', 'MessageAttributes.entry.1.Value.StringValue': 'v', 'MessageAttributes.entry.1.Value.DataType': 'String' });
    const form = recordFormOf(call({ model: sns, operation: 'Publish', request: { method: 'POST', body: publish } }), { eventName: 'Publish', readOnly: false, dataResourceType: 'AWS::SNS::Topic' });
    expect(form.requestParameters).toEqual({ topicArn: 'arn:aws:sns:us-east-1:1:t' });
    const batch = formBody({ Action: 'PublishBatch', TopicArn: 'arn:aws:sns:us-east-1:1:t', 'PublishBatchRequestEntries.member.1.Id': 'a', 'PublishBatchRequestEntries.member.1.Message': 'the secret' });
    const batchForm = recordFormOf(call({ model: sns, operation: 'PublishBatch', request: { method: 'POST', body: batch } }), { eventName: 'PublishBatch', readOnly: false });
    expect(JSON.stringify(batchForm.requestParameters)).not.toContain('the secret');
    expect(batchForm.requestParameters).toEqual({ topicArn: 'arn:aws:sns:us-east-1:1:t', publishBatchRequestEntries: [{ id: 'a' }] });
  });

  it('records the Result members of a write, and the Query error form', () => {
    const ok = xmlBody('<CreateTopicResponse><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:1:t</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>q-1</RequestId></ResponseMetadata></CreateTopicResponse>');
    const form = recordFormOf(call({ model: sns, operation: 'CreateTopic', request: { method: 'POST', body: formBody({ Action: 'CreateTopic', Name: 't' }) }, response: { body: ok } }), { eventName: 'CreateTopic', readOnly: false });
    expect(form.responseElements).toEqual({ topicArn: 'arn:aws:sns:us-east-1:1:t' });
    expect(form.requestId).toBe('q-1');
    const bad = xmlBody('<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>q-2</RequestId></ErrorResponse>');
    const failed = recordFormOf(call({ model: sns, operation: 'DeleteTopic', request: { method: 'POST', body: formBody({ Action: 'DeleteTopic', TopicArn: 'a' }) }, response: { status: 404, body: bad } }), { eventName: 'DeleteTopic', readOnly: false });
    expect(failed.error).toEqual({ code: 'NotFound', message: 'Topic does not exist' });
    expect(failed.requestId).toBe('q-2');
  });
});
