/**
 * A warning of a real server shows each error message once. Here a trail's delivery fails
 * because a file sits where the log files' folder must go (ENOTDIR); the warning used to carry
 * the file system's message three times in `err.message` and three more in `err.stack`.
 */
import { CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { eventually } from '../support/log-files.js';
import { BIN, removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const dataDir = tempDataDir();
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  removeDir(dataDir);
});

describe('warning log lines', () => {
  it('name the file system error of a failed delivery once', async () => {
    const created = spawnSync(process.execPath, [BIN, 'buckets', 'create', 'blocked-bucket', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(created.status, created.stderr).toBe(0);
    writeFileSync(join(dataDir, 'buckets', 'blocked-bucket', 'AWSLogs'), 'not a folder');
    server = await startServer({ dataDir, args: ['--delivery-interval', '1'] });
    const client = cloudTrailClient(server);
    await client.send(new CreateTrailCommand({ Name: 'blocked-trail', S3BucketName: 'blocked-bucket' }));
    await client.send(new StartLoggingCommand({ Name: 'blocked-trail' }));

    const line = await eventually(() => server!.output().split('\n').find((l) => l.includes('trail delivery failed')), 30_000, 'a delivery failure warning');
    const status = await client.send(new GetTrailStatusCommand({ Name: 'blocked-trail' }));
    client.destroy();

    const logged = JSON.parse(line) as { err: { message: string; stack: string } };
    const fsMessage = /ENOTDIR: not a directory, mkdir '[^']+'/.exec(logged.err.message)?.[0];
    expect(fsMessage, logged.err.message).toBeDefined();
    expect(line.split(fsMessage!).length - 1).toBe(1);
    // The trail's status keeps its one-line text.
    expect(status.LatestDeliveryError).toContain(fsMessage);
  });
});
