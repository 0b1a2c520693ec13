/**
 * IAM handlers against real stores in a temporary data directory, called through the same
 * pipeline steps as over the wire (RequestPipeline.invokeLocal: authorize, validate, invoke,
 * record with the staged changes), without an HTTP server. For unit tests of IAM's rules.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RequestPipeline } from '../../src/api/pipeline.js';
import { localPipeline } from '../../src/cli/local-iam.js';
import { loadConfig } from '../../src/config/config.js';
import type { Caller } from '../../src/iam/caller.js';
import { rootCaller } from '../../src/iam/caller.js';
import { openStores } from '../../src/server/open-stores.js';
import type { Stores } from '../../src/server/open-stores.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../../src/services/iam/model.gen.js';
import { ManualClock } from './manual-clock.js';

export const HARNESS_ACCOUNT = '111122223333';

export interface IamHarness {
  /** The temporary data directory (its opentrail.db is the store). */
  dataDir: string;
  stores: Stores;
  clock: ManualClock;
  pipeline: RequestPipeline;
  /** One IAM call, as the account's root unless another caller is given; throws the ServiceError it answers. */
  call<Op extends OperationName>(operation: Op, input: OperationInputs[Op], caller?: Caller): Promise<OperationOutputs[Op]>;
  /** The error code a call answers (the ServiceError's code, as recorded), or undefined when it succeeds. */
  failure<Op extends OperationName>(operation: Op, input: OperationInputs[Op], caller?: Caller): Promise<{ code: string; message: string } | undefined>;
  /** The records of the account, oldest first. */
  records(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openIamHarness(): Promise<IamHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'opentrail-iam-'));
  const config = loadConfig({ dataDir: dir }, {});
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 10, 0, 0));
  const stores = await openStores(config, clock, { warn: () => undefined });
  await stores.identity.createAccount(HARNESS_ACCOUNT, 'test');
  const pipeline = localPipeline(stores, config, clock, pino({ level: 'silent' }));
  const call = async <Op extends OperationName>(operation: Op, input: OperationInputs[Op], caller: Caller = rootCaller(HARNESS_ACCOUNT)) =>
    (await pipeline.invokeLocal({
      service: 'iam',
      operation,
      input: input as unknown as Record<string, unknown>,
      caller,
      sourceIPAddress: '127.0.0.1',
      userAgent: 'iam-harness',
    })) as OperationOutputs[Op];
  return {
    dataDir: dir,
    stores,
    clock,
    pipeline,
    call,
    async failure(operation, input, caller) {
      try {
        await call(operation, input, caller);
        return undefined;
      } catch (error) {
        const e = error as { code?: string; message: string };
        if (e.code === undefined) throw error;
        return { code: e.code, message: e.message };
      }
    },
    async records() {
      return (await stores.events.readRange(HARNESS_ACCOUNT, 0, undefined, 10_000)).map((e) => JSON.parse(e.json) as Record<string, unknown>);
    },
    async close() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
