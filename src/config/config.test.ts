import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig, sqliteFileOf } from './config.js';

describe('loadConfig', () => {
  it('uses defaults', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: DEFAULT_PORT, store: 'sqlite:', retentionDays: 90, dataDir: resolve('./data') });
  });

  it('layers file < environment < flags', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opentrail-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ port: 1000, retentionDays: 30, host: '::1' }));
    const config = loadConfig({ port: '3000' }, { OPENTRAIL_PORT: '2000', OPENTRAIL_RETENTION_DAYS: '7', OPENTRAIL_CONFIG: file });
    expect(config).toMatchObject({ port: 3000, retentionDays: 7, host: '::1' });
  });

  it.each([
    [{ port: 'abc' }, {}, /port \(OPENTRAIL_PORT\) must be a non-negative integer/],
    [{ port: '70000' }, {}, /at most 65535/],
    [{}, { OPENTRAIL_RETENTION_DAYS: '0' }, /at least 1/],
    [{}, { OPENTRAIL_TLS_CERT_FILE: 'cert.pem' }, /both/],
    [{}, { OPENTRAIL_CONFIG: '/no/such/file.json' }, /cannot read config file/],
    [{}, { OPENTRAIL_HEADERS_TIMEOUT: '0' }, /headersTimeout .* at least 1 second/],
    [{ requestTimeout: '5' }, { OPENTRAIL_HEADERS_TIMEOUT: '10' }, /requestTimeout .* at least headersTimeout/],
    [{}, { OPENTRAIL_DRAIN_TIMEOUT: '-1' }, /drainTimeout \(OPENTRAIL_DRAIN_TIMEOUT\) must be a non-negative integer/],
    [{}, { OPENTRAIL_OBJECT_STORE: 's3' }, /unknown object store URL "s3"/],
    [{ store: 'mysql://x' }, {}, /unknown event store URL/],
    [{}, { OPENTRAIL_MASTER_KEY: 'not base64!' }, /master key in masterKey \(OPENTRAIL_MASTER_KEY\) .* not base64/],
    [{}, { OPENTRAIL_MASTER_KEY: Buffer.alloc(16).toString('base64') }, /decodes to 16 bytes/],
  ])('refuses %j %j', (flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(message);
  });

  it('has documented timeouts, layered like every setting', () => {
    expect(loadConfig({}, {})).toMatchObject({ headersTimeout: 10, requestTimeout: 30, drainTimeout: 10 });
    const file = join(mkdtempSync(join(tmpdir(), 'opentrail-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ headersTimeout: 2, requestTimeout: 4, drainTimeout: 6 }));
    expect(loadConfig({}, {}, file)).toMatchObject({ headersTimeout: 2, requestTimeout: 4, drainTimeout: 6 });
    expect(loadConfig({ drainTimeout: '0' }, { OPENTRAIL_HEADERS_TIMEOUT: '3', OPENTRAIL_DRAIN_TIMEOUT: '7' }, file)).toMatchObject({ headersTimeout: 3, requestTimeout: 4, drainTimeout: 0 });
  });

  it('refuses unknown keys in the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opentrail-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({}, {}, file)).toThrow(/unknown setting "prot"/);
  });
});

describe('sqliteFileOf', () => {
  it('resolves store URLs', () => {
    const base = loadConfig({ dataDir: '/var/lib/opentrail' }, {});
    expect(sqliteFileOf(base)).toBe('/var/lib/opentrail/opentrail.db');
    expect(sqliteFileOf({ ...base, store: 'sqlite:/tmp/x.db' })).toBe('/tmp/x.db');
    expect(() => sqliteFileOf({ ...base, store: 'postgres://localhost/test' })).toThrow(ConfigError);
    expect(() => sqliteFileOf({ ...base, store: 'mysql://x' })).toThrow(/unknown event store URL/);
  });
});
