/**
 * Two nodes over one PostgreSQL database, doing the same identity work at once: bootstrap
 * writes (both nodes starting on an empty store) and API changes. Exactly one of each wins; the
 * other is told AlreadyExistsError (direct writes) or StateConflictError (changes), and IAM's
 * quotas hold across nodes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import type { Stores } from '../../src/server/open-stores.js';
import { openStores } from '../../src/server/open-stores.js';
import type { IdentityChange } from '../../src/store/identity-change.js';
import { StateConflictError } from '../../src/store/state-change.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { event } from './event-store.suite.js';
import { ACCOUNT, key, user } from './identity-fixtures.js';

async function outcomes(work: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(work);
  return settled
    .map((o) => {
      if (o.status === 'fulfilled') return 'ok';
      const error = o.reason as Error;
      return error instanceof StateConflictError ? `conflict:${error.reason}` : error.name;
    })
    .sort();
}

describe.skipIf(!(await postgresAvailable()))('identity on two PostgreSQL nodes at once', () => {
  let nodes: Stores[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  let seq = 0;

  beforeEach(async () => {
    const db = await createTestDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'opentrail-node-')));
    // Both nodes start together: the schema is applied once, under its lock.
    nodes = await Promise.all(dirs.map(async (dataDir) => openStores(loadConfig({ dataDir, store: db.url, masterKey }, {}), systemClock, { warn: () => undefined })));
    cleanup = async () => {
      for (const node of nodes) await node.close();
      await db.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    };
  });

  afterEach(async () => cleanup());

  const commit = async (node: Stores, ...changes: IdentityChange[]) => node.events.append([event(++seq, { account: ACCOUNT })], changes);

  it('bootstrap writes: one node creates the account, user and key; the other is told AlreadyExistsError for each', async () => {
    const [a, b] = nodes.map((n) => n.identity.store);
    if (a === undefined || b === undefined) throw new Error('two nodes');
    const account = { accountId: ACCOUNT, name: 'default', createdAt: 1 };
    expect(await outcomes([a.createAccount(account), b.createAccount(account)])).toEqual(['AlreadyExistsError', 'ok']);
    expect(await outcomes([a.createUser(user('admin')), b.createUser(user('Admin'))])).toEqual(['AlreadyExistsError', 'ok']);
    const admin = (await a.getUser(ACCOUNT, 'admin'))?.userName ?? '';
    expect(await outcomes([a.createAccessKey(key('AKIAADMIN00000000001', admin)), b.createAccessKey(key('AKIAADMIN00000000001', admin))])).toEqual(['AlreadyExistsError', 'ok']);
    expect(await b.listAccounts()).toHaveLength(1);
    expect(await a.listUserAccessKeys(ACCOUNT, 'admin')).toHaveLength(1);
  });

  it("IdentityService.bootstrap on both nodes, one account id configured: one makes the admin and its key; the other stops at AlreadyExistsError or finds it done", async () => {
    const settled = await Promise.allSettled(nodes.map(async (node) => node.identity.bootstrap({ accountId: ACCOUNT })));
    const keys = settled.flatMap((o) => (o.status === 'fulfilled' && o.value !== undefined ? [o.value] : []));
    expect(keys).toHaveLength(1);
    for (const o of settled) if (o.status === 'rejected') expect((o.reason as Error).name).toBe('AlreadyExistsError');
    const store = nodes[1]?.identity.store;
    expect(await store?.listAccounts()).toHaveLength(1);
    expect((await store?.listUserAccessKeys(ACCOUNT, 'admin'))?.map((k) => k.accessKeyId)).toEqual([keys[0]?.accessKeyId]);
  });

  it('changes: the same user made on both nodes exists once; the key quota holds across nodes', async () => {
    const [a, b] = nodes;
    if (a === undefined || b === undefined) throw new Error('two nodes');
    await a.identity.store.createAccount({ accountId: ACCOUNT, name: 'default', createdAt: 1 });
    expect(await outcomes([commit(a, { kind: 'createUser', user: user('bob') }), commit(b, { kind: 'createUser', user: user('BOB') })])).toEqual(['conflict:exists', 'ok']);
    // A key names its user as stored (whichever node's case won).
    const bob = (await b.identity.store.getUser(ACCOUNT, 'bob'))?.userName ?? '';
    await commit(a, { kind: 'createAccessKey', key: key('AKIABOB0000000000001', bob) });
    const racing = ['AKIABOB0000000000002', 'AKIABOB0000000000003'];
    expect(await outcomes(racing.map(async (id, i) => commit(nodes[i] ?? a, { kind: 'createAccessKey', key: key(id, bob) })))).toEqual(['conflict:inUse', 'ok']);
    expect(await b.identity.store.listUserAccessKeys(ACCOUNT, 'bob')).toHaveLength(2);
  });
});
