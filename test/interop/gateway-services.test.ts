/**
 * The other protocols through the gateway to a moto server, with the stock AWS CLI and boto3:
 * EC2 (the ec2 query protocol, form bodies), KMS, SQS and DynamoDB (AWS JSON), and S3 once
 * more with boto3 (presigned URL, multipart upload_file). Each call's effect is checked against
 * moto directly, and its record: management events with `aws cloudtrail lookup-events`, data
 * events (SQS SendMessage/ReceiveMessage, DynamoDB PutItem/GetItem/Scan, S3 objects) only in
 * the trails whose selectors pick them. Secrets (KMS plaintext, message bodies, item values)
 * must reach no record.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { compareWithSamples } from '../support/sample-shapes.js';
import { samplesAvailable } from '../support/samples.js';
import { runAdminCli } from '../support/admin-cli.js';
import { awsCli, deliveredRecords, lookupEvents, python, startGatewayServer } from '../support/gateway-peers.js';
import type { AwsCli, Json } from '../support/gateway-peers.js';
import { eventually } from '../support/log-files.js';
import { MOTO_ACCOUNT, motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { awsCliAvailable, boto3Available } from '../support/peers.js';
import type { ServerProcess } from '../support/server-process.js';

const hasMoto = motoAvailable();
const hasCli = awsCliAvailable();
const hasBoto3 = boto3Available();
const ACCOUNT = '111122223333';

const SECRETS = {
  plaintext: 'launch codes 0000-1111',
  messageBody: 'message body: card 4111 1111 1111 1111',
  itemValue: 'ssn 078-05-1120',
  botoBody: 'boto3 message: password hunter2',
};

let moto: MotoServer;
let server: ServerProcess;
let cli: AwsCli;
let work: string;

const params = (r: Json) => (r.requestParameters ?? {}) as Json;
const everyRecord = (): Json[] => [...deliveredRecords(server, 'audit'), ...deliveredRecords(server, 'audit-queues')];

/** The first delivered record `pick` accepts, waited for. */
async function delivered(bucket: string, what: string, pick: (r: Json) => boolean): Promise<Json> {
  return eventually(() => deliveredRecords(server, bucket).find(pick), 30_000, what);
}

describe.skipIf(!hasMoto || !(hasCli || hasBoto3))('other services through the gateway (moto)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'opentrail-gw-services-'));
    moto = await startMoto();
    server = await startGatewayServer(moto, ACCOUNT);
    cli = awsCli(server, moto);
    runAdminCli(server.dataDir, 'buckets', 'create', 'audit');
    runAdminCli(server.dataDir, 'buckets', 'create', 'audit-queues');
    if (!hasCli) return;
    cli.ok('cloudtrail', 'create-trail', '--name', 'tables', '--s3-bucket-name', 'audit');
    cli.ok('cloudtrail', 'put-event-selectors', '--trail-name', 'tables', '--event-selectors', JSON.stringify([{
      ReadWriteType: 'All',
      IncludeManagementEvents: true,
      DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }, { Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
    }]));
    cli.ok('cloudtrail', 'start-logging', '--name', 'tables');
    // Basic selectors know S3 objects, Lambda functions and DynamoDB tables only: queues need advanced ones.
    const basicQueues = cli.run('cloudtrail', 'put-event-selectors', '--trail-name', 'tables', '--event-selectors',
      JSON.stringify([{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::SQS::Queue', Values: ['arn:aws:sqs'] }] }]));
    expect(basicQueues.stderr).toContain('InvalidEventSelectorsException');
    cli.ok('cloudtrail', 'create-trail', '--name', 'queues', '--s3-bucket-name', 'audit-queues');
    cli.ok('cloudtrail', 'put-event-selectors', '--trail-name', 'queues', '--advanced-event-selectors', JSON.stringify([{
      Name: 'queue data',
      FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::SQS::Queue'] }],
    }]));
    cli.ok('cloudtrail', 'start-logging', '--name', 'queues');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  describe.skipIf(!hasCli)('with the AWS CLI', () => {
    it('ec2: run-instances, describe-instances, create-security-group, authorize-security-group-ingress', () => {
      const run = cli.json<{ Instances: Json[] }>('ec2', 'run-instances', '--image-id', 'ami-12c6146b', '--count', '1', '--instance-type', 't2.micro');
      const instanceId = run.Instances[0]!.InstanceId as string;
      expect(instanceId).toMatch(/^i-/);
      const described = cli.json<{ Reservations: { Instances: Json[] }[] }>('ec2', 'describe-instances', '--instance-ids', instanceId);
      expect(described.Reservations.flatMap((r) => r.Instances).map((i) => i.InstanceId)).toEqual([instanceId]);
      const groupId = cli.json('ec2', 'create-security-group', '--group-name', 'web tier', '--description', 'web servers: 443 & 80').GroupId as string;
      cli.ok('ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '443', '--cidr', '203.0.113.0/24');

      const atMoto = JSON.parse(cli.direct('ec2', 'describe-security-groups', '--group-ids', groupId)) as { SecurityGroups: Json[] };
      expect(atMoto.SecurityGroups[0]).toMatchObject({ GroupName: 'web tier', Description: 'web servers: 443 & 80' });
      expect(atMoto.SecurityGroups[0]!.IpPermissions).toContainEqual(expect.objectContaining({ FromPort: 443, ToPort: 443, IpRanges: [expect.objectContaining({ CidrIp: '203.0.113.0/24' })] }));
      const instancesAtMoto = JSON.parse(cli.direct('ec2', 'describe-instances')) as { Reservations: { Instances: Json[] }[] };
      expect(instancesAtMoto.Reservations.flatMap((r) => r.Instances).map((i) => i.InstanceId)).toContain(instanceId);

      const [ran] = lookupEvents(cli, 'RunInstances');
      expect(ran).toMatchObject({ EventSource: 'ec2.amazonaws.com', record: { eventCategory: 'Management', readOnly: false, requestParameters: { instanceType: 't2.micro' } } });
      expect(ran!.Resources).toContainEqual({ ResourceType: 'AWS::EC2::Instance', ResourceName: instanceId });
      const [describe] = lookupEvents(cli, 'DescribeInstances');
      expect(describe?.record).toMatchObject({ readOnly: true, responseElements: null });
      const [created] = lookupEvents(cli, 'CreateSecurityGroup');
      expect(created?.record).toMatchObject({ requestParameters: { groupName: 'web tier', groupDescription: 'web servers: 443 & 80' }, responseElements: { groupId } });
      expect(created!.Resources).toContainEqual({ ResourceType: 'AWS::EC2::SecurityGroup', ResourceName: groupId });
      const [authorized] = lookupEvents(cli, 'AuthorizeSecurityGroupIngress');
      expect(authorized?.record).toMatchObject({ requestParameters: { groupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '203.0.113.0/24' }] } }] } } });
      expect(authorized!.Resources).toContainEqual({ ResourceType: 'AWS::EC2::SecurityGroup', ResourceName: groupId });
    });

    it('kms: create-key, encrypt and decrypt round-trip; the plaintext is in no record', () => {
      const keyId = cli.json<{ KeyMetadata: Json }>('kms', 'create-key', '--description', 'interop key').KeyMetadata.KeyId as string;
      const plain = join(work, 'plain.txt');
      writeFileSync(plain, SECRETS.plaintext);
      const encrypted = cli.json('kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${plain}`);
      const blob = join(work, 'cipher.bin');
      writeFileSync(blob, Buffer.from(encrypted.CiphertextBlob as string, 'base64'));
      const decrypted = cli.json('kms', 'decrypt', '--ciphertext-blob', `fileb://${blob}`);
      expect(Buffer.from(decrypted.Plaintext as string, 'base64').toString()).toBe(SECRETS.plaintext);
      expect((JSON.parse(cli.direct('kms', 'describe-key', '--key-id', keyId)) as { KeyMetadata: Json }).KeyMetadata.Description).toBe('interop key');

      const [created] = lookupEvents(cli, 'CreateKey');
      expect(created?.record).toMatchObject({ eventSource: 'kms.amazonaws.com', readOnly: false, requestParameters: { description: 'interop key' } });
      expect(created!.Resources?.some((r) => r.ResourceType === 'AWS::KMS::Key' && r.ResourceName?.endsWith(keyId) === true)).toBe(true);
      const [encrypt] = lookupEvents(cli, 'Encrypt');
      expect(encrypt?.record).toMatchObject({ readOnly: true, requestParameters: { keyId }, responseElements: null });
      const [decrypt] = lookupEvents(cli, 'Decrypt');
      expect(decrypt?.record).toMatchObject({ readOnly: true, responseElements: null });
      expect(decrypt!.Resources?.some((r) => r.ResourceType === 'AWS::KMS::Key' && r.ResourceName?.endsWith(keyId) === true)).toBe(true);
      for (const event of [encrypt!, decrypt!]) {
        const text = JSON.stringify(event.record);
        expect(text).not.toContain(SECRETS.plaintext);
        expect(text).not.toContain(Buffer.from(SECRETS.plaintext).toString('base64'));
        expect(text).not.toContain(encrypted.CiphertextBlob as string);
      }
    });

    it('sqs: create-queue, send-message, receive-message; the data events only in the trail selecting queues, without the body', async () => {
      const queueUrl = cli.json('sqs', 'create-queue', '--queue-name', 'interop-jobs').QueueUrl as string;
      // The queue's URL names OpenTrail, not the upstream: a client using it stays on the audited path.
      expect(new URL(queueUrl).origin).toBe(new URL(server.url).origin);
      const sent = cli.json('sqs', 'send-message', '--queue-url', queueUrl, '--message-body', SECRETS.messageBody);
      const received = cli.json<{ Messages: Json[] }>('sqs', 'receive-message', '--queue-url', queueUrl, '--wait-time-seconds', '1');
      expect(received.Messages.map((m) => m.Body)).toEqual([SECRETS.messageBody]);
      expect(received.Messages[0]!.MessageId).toBe(sent.MessageId);
      expect((JSON.parse(cli.direct('sqs', 'list-queues')) as { QueueUrls: string[] }).QueueUrls.some((url) => url.endsWith('/interop-jobs'))).toBe(true);

      const [created] = lookupEvents(cli, 'CreateQueue');
      expect(created?.record).toMatchObject({ eventSource: 'sqs.amazonaws.com', eventCategory: 'Management', requestParameters: { queueName: 'interop-jobs' }, responseElements: { queueUrl } });
      expect(lookupEvents(cli, 'SendMessage')).toEqual([]);
      expect(lookupEvents(cli, 'ReceiveMessage')).toEqual([]);

      const queueArn = `arn:aws:sqs:us-east-1:${MOTO_ACCOUNT}:interop-jobs`;
      const send = await delivered('audit-queues', 'SendMessage in the queues trail', (r) => r.eventName === 'SendMessage');
      expect(send).toMatchObject({
        eventCategory: 'Data',
        managementEvent: false,
        readOnly: false,
        requestParameters: { queueUrl },
        resources: [{ type: 'AWS::SQS::Queue', ARN: queueArn }],
      });
      expect(params(send)).not.toHaveProperty('messageBody');
      const receive = await delivered('audit-queues', 'ReceiveMessage in the queues trail', (r) => r.eventName === 'ReceiveMessage');
      expect(receive).toMatchObject({ readOnly: true, responseElements: null, resources: [{ type: 'AWS::SQS::Queue', ARN: queueArn }] });
      // The queues trail selects data events only; the tables trail has no queue selector.
      expect(deliveredRecords(server, 'audit-queues').every((r) => r.eventCategory === 'Data' && r.eventSource === 'sqs.amazonaws.com')).toBe(true);
      expect(deliveredRecords(server, 'audit').some((r) => r.eventName === 'SendMessage')).toBe(false);
      expect(JSON.stringify(everyRecord())).not.toContain(SECRETS.messageBody);
      expect(JSON.stringify(lookupEvents(cli, 'CreateQueue'))).not.toContain(SECRETS.messageBody);
    }, 60_000);

    it('dynamodb: create-table, put-item, get-item, scan; the item data events only in the trail, without the item values', async () => {
      cli.ok('dynamodb', 'create-table', '--table-name', 'people', '--attribute-definitions', 'AttributeName=id,AttributeType=S',
        '--key-schema', 'AttributeName=id,KeyType=HASH', '--billing-mode', 'PAY_PER_REQUEST');
      cli.ok('dynamodb', 'put-item', '--table-name', 'people', '--item', JSON.stringify({ id: { S: 'p1' }, secret: { S: SECRETS.itemValue } }));
      const got = cli.json<{ Item: Json }>('dynamodb', 'get-item', '--table-name', 'people', '--key', JSON.stringify({ id: { S: 'p1' } }));
      expect(got.Item).toEqual({ id: { S: 'p1' }, secret: { S: SECRETS.itemValue } });
      const scanned = cli.json<{ Count: number; Items: Json[] }>('dynamodb', 'scan', '--table-name', 'people');
      expect(scanned.Count).toBe(1);
      const atMoto = JSON.parse(cli.direct('dynamodb', 'get-item', '--table-name', 'people', '--key', JSON.stringify({ id: { S: 'p1' } }))) as { Item: Json };
      expect(atMoto.Item).toEqual(got.Item);

      const tableArn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/people`;
      const [created] = lookupEvents(cli, 'CreateTable');
      expect(created?.record).toMatchObject({ eventSource: 'dynamodb.amazonaws.com', eventCategory: 'Management', readOnly: false, requestParameters: { tableName: 'people' } });
      expect(created!.Resources).toContainEqual({ ResourceType: 'AWS::DynamoDB::Table', ResourceName: tableArn });
      for (const name of ['PutItem', 'GetItem', 'Scan']) expect(lookupEvents(cli, name)).toEqual([]);

      const put = await delivered('audit', 'PutItem in the tables trail', (r) => r.eventName === 'PutItem');
      expect(put).toMatchObject({
        eventCategory: 'Data',
        managementEvent: false,
        readOnly: false,
        requestParameters: { tableName: 'people' },
        resources: [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: tableArn }],
      });
      expect(params(put)).not.toHaveProperty('item');
      const get = await delivered('audit', 'GetItem in the tables trail', (r) => r.eventName === 'GetItem');
      expect(get).toMatchObject({ readOnly: true, requestParameters: { tableName: 'people', key: { id: { S: 'p1' } } }, responseElements: null });
      const scan = await delivered('audit', 'Scan in the tables trail', (r) => r.eventName === 'Scan');
      expect(scan).toMatchObject({ readOnly: true, responseElements: null, resources: [{ type: 'AWS::DynamoDB::Table', ARN: tableArn }] });
      expect(JSON.stringify(everyRecord())).not.toContain(SECRETS.itemValue);
    }, 60_000);
  });

  describe.skipIf(!hasBoto3 || !hasCli)('with boto3', () => {
    it('s3: put_object, get_object, a presigned URL fetched by Node, upload_file of 20 MB as a multipart upload', async () => {
      const script = `
import boto3, json, os, sys, hashlib
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
session = boto3.Session(profile_name="opentrail")
s3 = session.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
# boto3 presigns S3 URLs with SigV2 by default here (us-east-1); the gateway verifies both.
v4 = session.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(signature_version="s3v4"))
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="notes/hello world.txt", Body=b"hello from boto3")
got = s3.get_object(Bucket="boto-bucket", Key="notes/hello world.txt")["Body"].read().decode()
url = v4.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "notes/hello world.txt"}, ExpiresIn=300)
v2url = s3.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "notes/hello world.txt"}, ExpiresIn=300)
path = os.path.join(sys.argv[2], "twenty.bin")
data = os.urandom(20 * 1024 * 1024)
with open(path, "wb") as f:
    f.write(data)
s3.upload_file(path, "boto-bucket", "big/twenty.bin", Config=TransferConfig(multipart_threshold=8 * 1024 * 1024))
head = s3.head_object(Bucket="boto-bucket", Key="big/twenty.bin")
down = s3.get_object(Bucket="boto-bucket", Key="big/twenty.bin")["Body"].read()
print(json.dumps({"got": got, "url": url, "v2url": v2url, "etag": head["ETag"], "length": head["ContentLength"],
                  "same": hashlib.sha256(down).hexdigest() == hashlib.sha256(data).hexdigest()}))
`;
      const out = python(server, script, work);
      expect(out.got).toBe('hello from boto3');
      expect(out.length).toBe(20 * 1024 * 1024);
      expect(out.same).toBe(true);
      expect(out.etag).toMatch(/-\d+"$/);
      expect(out.url).toContain('X-Amz-Signature=');
      const fetched = await fetch(out.url as string);
      expect(fetched.status).toBe(200);
      expect(await fetched.text()).toBe('hello from boto3');
      expect(out.v2url).toContain('AWSAccessKeyId=');
      const v2 = await fetch(out.v2url as string);
      expect(v2.status).toBe(200);
      expect(await v2.text()).toBe('hello from boto3');
      expect((JSON.parse(cli.direct('s3api', 'head-object', '--bucket', 'boto-bucket', '--key', 'big/twenty.bin')) as Json).ContentLength).toBe(20 * 1024 * 1024);

      const parts = await eventually(() => {
        const found = deliveredRecords(server, 'audit').filter((r) => r.eventName === 'UploadPart' && params(r).key === 'big/twenty.bin');
        const bytes = found.reduce((sum, r) => sum + ((r.additionalEventData as Json).bytesTransferredIn as number), 0);
        return bytes === 20 * 1024 * 1024 ? found : undefined;
      }, 30_000, 'the UploadPart records of the 20 MB upload_file');
      expect(parts.length).toBeGreaterThan(1);
      const presigned = await delivered('audit', 'the presigned GetObject', (r) => r.eventName === 'GetObject' && (r.additionalEventData as Json).AuthenticationMethod === 'QueryString' && (r.additionalEventData as Json).SignatureVersion === 'SigV4');
      expect(presigned).toMatchObject({ requestParameters: { bucketName: 'boto-bucket', key: 'notes/hello world.txt' }, userAgent: expect.any(String) as unknown });
      expect(params(presigned)).not.toHaveProperty('X-Amz-Signature');
      const presignedV2 = await delivered('audit', 'the SigV2 presigned GetObject', (r) => r.eventName === 'GetObject' && (r.additionalEventData as Json).SignatureVersion === 'SigV2');
      expect(presignedV2).toMatchObject({ requestParameters: { bucketName: 'boto-bucket', key: 'notes/hello world.txt' }, additionalEventData: { AuthenticationMethod: 'QueryString' } });
      expect(params(presignedV2)).not.toHaveProperty('Signature');
    }, 120_000);

    it('sqs and ec2: send_message/receive_message with attributes, describe_security_groups; bodies in no record', async () => {
      const script = `
import boto3, json, sys
session = boto3.Session(profile_name="opentrail")
sqs = session.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1")
ec2 = session.client("ec2", endpoint_url=sys.argv[1], region_name="us-east-1")
url = sqs.create_queue(QueueName="boto-queue")["QueueUrl"]
sqs.send_message(QueueUrl=url, MessageBody=sys.argv[2], MessageAttributes={"kind": {"DataType": "String", "StringValue": "secret-attribute"}})
got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"][0]
groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["web tier"]}])["SecurityGroups"]
print(json.dumps({"url": url, "body": got["Body"], "kind": got["MessageAttributes"]["kind"]["StringValue"], "groups": [g["GroupName"] for g in groups]}))
`;
      const out = python(server, script, SECRETS.botoBody);
      expect(out).toMatchObject({ body: SECRETS.botoBody, kind: 'secret-attribute' });
      const send = await delivered('audit-queues', "boto3's SendMessage", (r) => r.eventName === 'SendMessage' && params(r).queueUrl === out.url);
      expect(send.userAgent).toContain('Boto3/');
      expect(JSON.stringify(everyRecord())).not.toContain(SECRETS.botoBody);
      expect(JSON.stringify(everyRecord())).not.toContain('secret-attribute');
      const described = lookupEvents(cli, 'DescribeSecurityGroups').find((e) => String(e.record.userAgent).includes('Boto3/'));
      expect(described?.record).toMatchObject({ readOnly: true, eventSource: 'ec2.amazonaws.com' });
      expect(JSON.stringify(params(described!.record))).toContain('web tier');
    }, 60_000);
  });

  it.skipIf(!samplesAvailable())('writes records with the member sets of the real records of each eventName found in both', () => {
    const { compared, mismatches } = compareWithSamples(everyRecord() as unknown as CloudTrailRecord[]);
    expect(compared.length, compared.join(', ')).toBeGreaterThanOrEqual(6);
    console.log(`member sets compared with the samples for: ${compared.join(', ')}`);
    expect(mismatches).toEqual([]);
  });
});
