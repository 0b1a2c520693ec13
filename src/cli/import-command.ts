/**
 * `opentrail events import`: loads CloudTrail log files (`{"Records":[...]}`, gzipped or not)
 * into an account's event history, keeping every record byte for byte. Useful to search
 * history exported from AWS, and how tests load the real sample records.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isAccountId } from '../core/arn.js';
import { systemClock } from '../core/clock.js';
import { splitRecords } from '../core/log-file-records.js';
import { prepareRawEvent } from '../core/prepare-event.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { openStores } from '../server/open-stores.js';
import type { PreparedEvent } from '../store/event-store.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

const BATCH = 1000;

function readLogFile(file: string): string {
  const bytes = readFileSync(file);
  // gzip magic number: accept .json.gz and plain .json alike.
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function registerImportCommand(program: Command): void {
  const events = program.command('events').description('work with the event history');
  withConfigOptions(events.command('import <files...>').description('import CloudTrail log files into an account'))
    .requiredOption('--account-id <id>', 'account whose history receives the records')
    .option('--region <region>', "region to file records under (default: each record's awsRegion)")
    .action(async (files: string[], o: ConfigOptions & { accountId: string; region?: string }) => {
      if (!isAccountId(o.accountId)) throw new ConfigError(`--account-id must be 12 digits, got "${o.accountId}"`);
      const config = loadConfig(configFlags(o), process.env, o.config);
      const stores = openStores(config, systemClock);
      try {
        if ((await stores.identity.store.getAccount(o.accountId)) === undefined) {
          throw new ConfigError(`no account ${o.accountId}; create it with: opentrail accounts create --account-id ${o.accountId}`);
        }
        let total = 0;
        for (const file of files) {
          const prepared: PreparedEvent[] = splitRecords(readLogFile(file)).map((json) => {
            const region = o.region ?? ((JSON.parse(json) as { awsRegion?: unknown }).awsRegion as string | undefined);
            return prepareRawEvent(o.accountId, typeof region === 'string' ? region : config.defaultRegion, json);
          });
          for (let i = 0; i < prepared.length; i += BATCH) await stores.events.append(prepared.slice(i, i + BATCH));
          total += prepared.length;
          process.stdout.write(`${file}: ${prepared.length} records\n`);
        }
        process.stdout.write(`imported ${total} records into account ${o.accountId}\n`);
      } finally {
        await stores.close();
      }
    });
}
