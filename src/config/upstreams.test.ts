import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTED_SIGNING_NAMES } from '../api/pipeline.js';
import { ConfigError, loadConfig } from './config.js';
import { HOSTED_SERVICES } from './upstreams.js';

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'opentrail-upstreams-')), 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('upstreams', () => {
  it('has none by default', () => {
    expect(loadConfig({}, {}).upstreams).toEqual({});
  });

  it('come from the flag, the environment and the config file, later sources winning per service', () => {
    const file = configFile({
      upstreams: {
        s3: 'http://127.0.0.1:9000/',
        ec2: { url: 'http://127.0.0.1:5000', region: 'eu-west-1', accessKeyId: 'AKIAUPSTREAM', secretAccessKey: 'secret' },
      },
    });
    const config = loadConfig({ upstreams: ['kms=http://127.0.0.1:7000'] }, { OPENTRAIL_UPSTREAMS: 's3=http://127.0.0.1:9001, sqs=https://queue.internal:443' }, file);
    expect(config.upstreams).toEqual({
      s3: { url: 'http://127.0.0.1:9001' },
      ec2: { url: 'http://127.0.0.1:5000', region: 'eu-west-1', credentials: { accessKeyId: 'AKIAUPSTREAM', secretAccessKey: 'secret' } },
      sqs: { url: 'https://queue.internal' },
      kms: { url: 'http://127.0.0.1:7000' },
    });
  });

  it.each([
    [['s3'], /must be SERVICE=URL/],
    [['s3=ftp://x'], /must be http: or https:/],
    [['s3=not a url'], /is not a URL/],
    [['s3=http://u:p@host'], /must not carry/],
    [['cloudtrail=http://127.0.0.1:1'], /served by OpenTrail itself/],
    [['iam=http://127.0.0.1:1'], /served by OpenTrail itself/],
    [['S3!=http://127.0.0.1:1'], /not a service signing name/],
  ])('refuse %j', (entries, message) => {
    expect(() => loadConfig({ upstreams: entries }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ upstreams: entries }, {})).toThrow(message);
  });

  it('refuse half of a key pair and unknown settings in the config file', () => {
    expect(() => loadConfig({}, {}, configFile({ upstreams: { s3: { url: 'http://h', accessKeyId: 'a' } } }))).toThrow(/both accessKeyId and secretAccessKey/);
    expect(() => loadConfig({}, {}, configFile({ upstreams: { s3: { url: 'http://h', password: 'x' } } }))).toThrow(/unknown setting "password"/);
    expect(() => loadConfig({}, {}, configFile({ upstreams: 5 }))).toThrow(/upstreams must be an object/);
  });

  it('refuse every service the request pipeline answers itself (and OpenTrail\'s own name)', () => {
    for (const service of HOSTED_SIGNING_NAMES) expect(HOSTED_SERVICES).toContain(service);
    expect([...HOSTED_SERVICES].filter((s) => !HOSTED_SIGNING_NAMES.has(s))).toEqual(['opentrail']);
  });

  it('gateway request timeout is at least the request timeout', () => {
    expect(loadConfig({}, {}).gatewayRequestTimeout).toBe(3600);
    expect(() => loadConfig({ gatewayRequestTimeout: '5' }, {})).toThrow(/gatewayRequestTimeout/);
  });
});
