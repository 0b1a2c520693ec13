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
  ])('refuses %j %j', (flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(message);
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
