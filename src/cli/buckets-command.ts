/**
 * `opentrail buckets create NAME` and `opentrail buckets list`: buckets of the local `file:`
 * object store (folders under `<data-dir>/buckets/`), so trails have somewhere to deliver.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { FileObjectStore, fileStoreRoot } from '../objects/file-object-store.js';
import { ObjectStoreError } from '../objects/object-store.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

function fileStore(options: ConfigOptions): FileObjectStore {
  const config = loadConfig(configFlags(options), process.env, options.config);
  return new FileObjectStore({ root: fileStoreRoot(config.dataDir) });
}

/** Object-store refusals (a bad name, an existing bucket) are the user's to fix: one line, exit 1. */
async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ObjectStoreError)) throw error;
    process.stderr.write(`opentrail: ${error.message}\n`);
    process.exitCode = 1;
  }
}

export function registerBucketsCommand(program: Command): void {
  const buckets = program.command('buckets').description('manage buckets of the local file object store');
  withConfigOptions(buckets.command('create').description('create a bucket (a folder under <data-dir>/buckets/)'))
    .argument('<name>', 'bucket name (S3 naming rules)')
    .option('--if-not-exists', 'succeed when the bucket already exists')
    .action(async (name: string, o: ConfigOptions & { ifNotExists?: boolean }) =>
      run(async () => {
        const store = fileStore(o);
        if (!(await store.createBucket(name)) && o.ifNotExists !== true) {
          throw new ObjectStoreError(`bucket ${name} already exists in ${store.root}`, { retryable: false, code: 'BucketAlreadyExists' });
        }
        process.stdout.write(`${name}\n`);
      }),
    );
  withConfigOptions(buckets.command('list').description('list the buckets')).action(async (o: ConfigOptions) =>
    run(async () => {
      const names = await fileStore(o).listBuckets();
      if (names.length > 0) process.stdout.write(names.join('\n') + '\n');
    }),
  );
}
