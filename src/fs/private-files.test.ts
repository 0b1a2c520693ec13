/**
 * The explicit modes hold whatever the umask (the CLI's umask 0077 aside): everything that
 * writes account data creates it 0600 / 0700 under umask 022 too, and tightens what an
 * earlier version left 0644.
 */
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../objects/file-object-store.js';
import { writeCredentialsFile } from '../server/credentials-file.js';
import { openSqliteDatabase } from '../store/sqlite/database.js';
import { securePrivateDir } from './private-files.js';

let previousUmask: number;
beforeAll(() => {
  // Vitest runs test files in forked processes, where the umask can be set.
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const tempDir = () => mkdtempSync(join(tmpdir(), 'opentrail-modes-'));

describe('private files under umask 022', () => {
  it('creates the SQLite database and its -wal and -shm 0600', () => {
    const file = join(tempDir(), 'nested', 'opentrail.db');
    const db = openSqliteDatabase(file);
    try {
      expect(modeOf(join(file, '..'))).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, modeOf(path)]).toEqual([path, 0o600]);
    } finally {
      db.close();
    }
  });

  it('tightens a database and -wal left 0644 by an earlier version', () => {
    const file = join(tempDir(), 'opentrail.db');
    openSqliteDatabase(file).close();
    writeFileSync(`${file}-wal`, '');
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o644);
    const db = openSqliteDatabase(file);
    try {
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('rewrites an existing 0644 credentials file as 0600', () => {
    const file = join(tempDir(), 'credentials');
    writeFileSync(file, 'old', { mode: 0o644 });
    writeCredentialsFile(file, 'AKIAEXAMPLE', 'secret');
    expect(modeOf(file)).toBe(0o600);
  });

  it('has the file object store create buckets, folders and objects private', async () => {
    const root = join(tempDir(), 'buckets');
    const store = new FileObjectStore({ root });
    await store.createBucket('mode-bucket');
    await store.putObject({ bucket: 'mode-bucket', key: 'AWSLogs/1/file.json.gz', body: Buffer.from('x') });
    for (const dir of [root, join(root, 'mode-bucket'), join(root, 'mode-bucket', 'AWSLogs', '1'), join(root, '.opentrail-meta', 'mode-bucket', 'AWSLogs', '1')]) {
      expect([dir, modeOf(dir)]).toEqual([dir, 0o700]);
    }
    expect(modeOf(join(root, 'mode-bucket', 'AWSLogs', '1', 'file.json.gz'))).toBe(0o600);
    expect(modeOf(join(root, '.opentrail-meta', 'mode-bucket', 'AWSLogs', '1', 'file.json.gz'))).toBe(0o600);
  });
});

describe('securePrivateDir', () => {
  it('creates a missing data directory 0700 and says nothing', () => {
    const dir = join(tempDir(), 'data');
    expect(securePrivateDir(dir)).toBeUndefined();
    expect(modeOf(dir)).toBe(0o700);
  });

  it('makes a 0755 data directory 0700 and says so', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    expect(securePrivateDir(dir)).toMatch(/was accessible to other local users \(mode 0755\); changed it to 0700/);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('leaves a shared sticky folder (like /tmp) as it is, with a warning', () => {
    const dir = join(tempDir(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    expect(securePrivateDir(dir)).toMatch(/accessible to other local users \(mode 1777\) and is shared/);
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
  });
});
