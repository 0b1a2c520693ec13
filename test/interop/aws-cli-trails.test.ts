/**
 * The whole trail lifecycle with the stock AWS CLI, as a user would type it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable } from '../support/peers.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
let server: ServerProcess;

function aws(...args: string[]): { status: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> } {
  const result = spawnSync('aws', ['--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', 'cloudtrail', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
      AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout || '{}') as Record<string, unknown> };
}

beforeAll(async () => {
  if (!hasAwsCli) return;
  server = await startServer({ args: ['--delivery-interval', '1'] });
  spawnSync(process.execPath, [BIN, 'buckets', 'create', 'cli-bucket', '--data-dir', server.dataDir]);
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI trail lifecycle', () => {
  it('create, describe, selectors, start, status, stop, update, delete', () => {
    const created = aws('create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'cli-bucket', '--is-multi-region-trail', '--enable-log-file-validation');
    expect(created.stderr).toBe('');
    expect(created.json()).toMatchObject({ Name: 'cli-trail', IsMultiRegionTrail: true, LogFileValidationEnabled: true });
    expect((aws('describe-trails').json().trailList as unknown[]).length).toBe(1);
    expect(aws('get-trail', '--name', 'cli-trail').json()).toMatchObject({ Trail: { HomeRegion: 'us-east-1' } });
    const selectors = aws('put-event-selectors', '--trail-name', 'cli-trail', '--event-selectors', '[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]');
    expect(selectors.stderr).toBe('');
    expect(aws('get-event-selectors', '--trail-name', 'cli-trail').json()).toMatchObject({ EventSelectors: [{ ReadWriteType: 'WriteOnly' }] });
    expect(aws('start-logging', '--name', 'cli-trail').status).toBe(0);
    expect(aws('get-trail-status', '--name', 'cli-trail').json()).toMatchObject({ IsLogging: true });
    expect(aws('stop-logging', '--name', 'cli-trail').status).toBe(0);
    const status = aws('get-trail-status', '--name', 'cli-trail').json();
    expect(status).toMatchObject({ IsLogging: false });
    expect(typeof status.StopLoggingTime).toBe('number'); // AWS CLI v1 prints epoch seconds as received
    expect(aws('update-trail', '--name', 'cli-trail', '--s3-key-prefix', 'p').json()).toMatchObject({ S3KeyPrefix: 'p' });
    expect(aws('list-trails').json()).toMatchObject({ Trails: [{ Name: 'cli-trail' }] });
    expect(aws('delete-trail', '--name', 'cli-trail').status).toBe(0);
    const gone = aws('get-trail', '--name', 'cli-trail');
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('TrailNotFoundException');
  });

  it('shows validation errors as CloudTrail does', () => {
    const noBucket = aws('create-trail', '--name', 'x-trail', '--s3-bucket-name', 'missing-bucket');
    expect(noBucket.stderr).toContain('S3BucketDoesNotExistException');
    const badName = aws('create-trail', '--name', 'a', '--s3-bucket-name', 'cli-bucket');
    expect(badName.stderr).toContain('InvalidTrailNameException');
  });
});
