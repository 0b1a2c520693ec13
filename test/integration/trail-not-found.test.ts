/**
 * What each trail operation answers for a trail that does not exist, through the real AWS SDK
 * against a real server: CloudTrail's messages (src/core/unknown-trail.ts names the sources).
 */
import {
  AddTagsCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  PutEventSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const ACCOUNT = '111122223333';
const OTHER = '999988887777';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/unknowntrail`;
const OTHER_ARN = `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/unknowntrail`;
let server: ServerProcess;
let client: CloudTrailClient;

beforeAll(async () => {
  server = await startServer({ accountId: ACCOUNT });
  client = cloudTrailClient(server);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

type Call = (name: string) => Promise<unknown>;

const calls: Record<string, Call> = {
  GetTrail: async (name) => client.send(new GetTrailCommand({ Name: name })),
  GetTrailStatus: async (name) => client.send(new GetTrailStatusCommand({ Name: name })),
  UpdateTrail: async (name) => client.send(new UpdateTrailCommand({ Name: name, IsMultiRegionTrail: true })),
  DeleteTrail: async (name) => client.send(new DeleteTrailCommand({ Name: name })),
  StartLogging: async (name) => client.send(new StartLoggingCommand({ Name: name })),
  StopLogging: async (name) => client.send(new StopLoggingCommand({ Name: name })),
  PutEventSelectors: async (name) => client.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: [{ ReadWriteType: 'All' }] })),
  GetEventSelectors: async (name) => client.send(new GetEventSelectorsCommand({ TrailName: name })),
  AddTags: async (name) => client.send(new AddTagsCommand({ ResourceId: name, TagsList: [{ Key: 'k', Value: 'v' }] })),
  RemoveTags: async (name) => client.send(new RemoveTagsCommand({ ResourceId: name, TagsList: [{ Key: 'k' }] })),
  ListTags: async (name) => client.send(new ListTagsCommand({ ResourceIdList: [name] })),
};

const unknownAsGiven = (reference: string) => ({ name: 'TrailNotFoundException', message: `Unknown trail: ${reference} for the user: ${ACCOUNT}` });
const unknownByArn = (arn: string) => ({ name: 'TrailNotFoundException', message: `Unknown trail: ${arn} for the user: ${ACCOUNT}` });

describe('an unknown trail named by name', () => {
  it.each<[string, { name: string; message: string }]>([
    // CloudTrail names the trail's ARN (the name in the request's region and the caller's account).
    ['GetTrailStatus', unknownByArn(ARN)],
    ['UpdateTrail', unknownByArn(ARN)],
    ['DeleteTrail', unknownByArn(ARN)],
    // CloudTrail repeats the name as given.
    ['GetTrail', unknownAsGiven('unknowntrail')],
    // No CloudTrail answer found: OpenTrail repeats the reference as given.
    ['StartLogging', unknownAsGiven('unknowntrail')],
    ['StopLogging', unknownAsGiven('unknowntrail')],
    ['PutEventSelectors', unknownAsGiven('unknowntrail')],
    ['GetEventSelectors', unknownAsGiven('unknowntrail')],
  ])('%s answers %j', async (operation, error) => {
    await expect(calls[operation]!('unknowntrail')).rejects.toMatchObject({ ...error, $metadata: { httpStatusCode: 400 } });
  });
});

describe('an unknown trail named by ARN', () => {
  it.each([['GetTrail'], ['GetTrailStatus'], ['UpdateTrail'], ['DeleteTrail'], ['StartLogging'], ['StopLogging'], ['PutEventSelectors'], ['GetEventSelectors'], ['AddTags'], ['RemoveTags']])(
    '%s names the ARN',
    async (operation) => {
      await expect(calls[operation]!(ARN)).rejects.toMatchObject(unknownByArn(ARN));
    },
  );

  it('ListTags answers CloudTrailARNInvalidException: an ARN the caller cannot access', async () => {
    await expect(calls.ListTags!(ARN)).rejects.toMatchObject({ name: 'CloudTrailARNInvalidException', message: 'You must specify an ARN that the caller account can access.' });
  });

  it('ListTags of another account trail says the account is wrong', async () => {
    await expect(calls.ListTags!(OTHER_ARN)).rejects.toMatchObject({
      name: 'CloudTrailARNInvalidException',
      message: `AccountID in ARN is wrong, you can only access resources with AccountID ${ACCOUNT}.`,
    });
  });

  it('GetTrailStatus of another account trail names that ARN', async () => {
    await expect(calls.GetTrailStatus!(OTHER_ARN)).rejects.toMatchObject(unknownByArn(OTHER_ARN));
  });
});

describe('DescribeTrails with a name list', () => {
  it('leaves unknown trails out instead of failing', async () => {
    const { trailList } = await client.send(new DescribeTrailsCommand({ trailNameList: ['unknowntrail', ARN] }));
    expect(trailList).toEqual([]);
  });
});
