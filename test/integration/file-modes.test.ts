/**
 * Nothing OpenTrail writes is readable by other local users: files 0600, folders 0700, under
 * the usual umask 022 and with a data directory that already exists as 0755 (which is made
 * 0700, with a warning). Before, opentrail.db, its -wal and -shm, and delivered log files were
 * 0644, so any local user could read every account's history.
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { bucketKeys, eventually } from '../support/log-files.js';
import { BIN, removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const dataDir = tempDataDir();
let server: ServerProcess | undefined;
let previousUmask: number;

beforeAll(() => {
  // Children inherit the umask: the common 022, under which SQLite and mkdir make 0644 and 0755.
  // (Vitest runs this file in a forked process, where the umask can be set.)
  previousUmask = process.umask(0o022);
  chmodSync(dataDir, 0o755);
});

afterAll(async () => {
  await server?.stop();
  process.umask(previousUmask);
  removeDir(dataDir);
});

/** Every file and folder under `dir` (itself included) whose mode is not private, with its mode. */
function notPrivate(dir: string): string[] {
  const found: string[] = [];
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  if (mode(dir) !== '700') found.push(`${dir} ${mode(dir)}`);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...notPrivate(path));
    else if (mode(path) !== '600') found.push(`${path} ${mode(path)}`);
  }
  return found;
}

describe('file modes', () => {
  it('creates the database, -wal, -shm, keys, credentials, log and digest files 0600 and their folders 0700', async () => {
    const created = spawnSync(process.execPath, [BIN, 'buckets', 'create', 'private-bucket', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(created.status, created.stderr).toBe(0);
    server = await startServer({ dataDir, args: ['--delivery-interval', '1', '--digest-interval', '1'] });
    const client = cloudTrailClient(server);
    await client.send(new CreateTrailCommand({ Name: 'private-trail', S3BucketName: 'private-bucket', EnableLogFileValidation: true }));
    await client.send(new StartLoggingCommand({ Name: 'private-trail' }));
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const bucketDir = join(dataDir, 'buckets', 'private-bucket');
    await eventually(() => {
      const keys = bucketKeys(bucketDir);
      return keys.some((k) => k.includes('/CloudTrail/')) && keys.some((k) => k.includes('/CloudTrail-Digest/')) ? keys : undefined;
    }, 30_000, 'a log file and a digest file');
    client.destroy();

    const names = readdirSync(dataDir);
    expect(names).toEqual(expect.arrayContaining(['opentrail.db', 'opentrail.db-wal', 'opentrail.db-shm', 'master.key', 'credentials', 'buckets']));
    expect(notPrivate(dataDir)).toEqual([]);
    expect(server.output()).toMatch(/data directory .* was accessible to other local users \(mode 0755\); changed it to 0700/);

    expect(await server.stop()).toBe(0);
    server = undefined;
    expect(notPrivate(dataDir)).toEqual([]);
  });
});
