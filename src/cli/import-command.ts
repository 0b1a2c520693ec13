/**
 * `opentrail events import`: loads CloudTrail log files (`{"Records":[...]}`, gzipped or not)
 * into an account's event history, keeping every record byte for byte. Useful to search
 * history exported from AWS, and how tests load the real sample records.
 *
 * Safe to run again: records already stored (same eventID in the account and region) are not
 * stored twice. Each file is checked whole first and imported in one append, so it is imported
 * completely or not at all; problems name the file and the record. Imported history is not
 * delivered to trails unless --deliver-to-trails says so.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isAccountId } from '../core/arn.js';
import { systemClock } from '../core/clock.js';
import { checkRecords } from '../core/import-records.js';
import type { ImportRules } from '../core/import-records.js';
import { LogFileFormatError, splitRecords } from '../core/log-file-records.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { openStores } from '../server/open-stores.js';
import type { EventStore } from '../store/event-store.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

const DAY_MS = 86_400_000;

interface ImportOptions extends ConfigOptions {
  accountId: string;
  region?: string;
  allowAccountMismatch?: boolean;
  deliverToTrails?: boolean;
}

/** A file that cannot be imported; the message is for the user, naming no internals. */
class FileProblem extends Error {}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readLogFileText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new FileProblem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? errorText(error)})`);
  }
  // gzip magic number: accept .json.gz and plain .json alike.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new FileProblem(`is not a complete gzip file, truncated or damaged (${errorText(error)})`);
  }
}

function splitLogFile(text: string): string[] {
  try {
    return splitRecords(text);
  } catch (error) {
    if (error instanceof LogFileFormatError) throw new FileProblem(`is not a CloudTrail log file: ${error.message}`);
    throw error;
  }
}

interface FileOutcome {
  imported: number;
  present: number;
  tooOld: number;
}

/** Imports one file whole, or throws FileProblem having printed nothing stored. */
async function importFile(file: string, rules: ImportRules, events: EventStore, out: NodeJS.WritableStream): Promise<FileOutcome> {
  const records = splitLogFile(readLogFileText(file));
  const checked = checkRecords(records, rules);
  if (checked.problems.length > 0) {
    for (const { first, last, message } of checked.problems) {
      out.write(`${file}: ${first === last ? `Records[${first}]` : `Records[${first}..${last}]`} ${message}\n`);
    }
    const n = checked.invalid;
    throw new FileProblem(`${n} of ${records.length} records ${n === 1 ? 'is' : 'are'} not valid (above)`);
  }
  let appended;
  try {
    // One append, one transaction: the whole file or nothing.
    appended = await events.append(checked.events);
  } catch (error) {
    throw new FileProblem(`the event store did not take the records: ${errorText(error)}`);
  }
  const present = appended.events.filter((e) => e.duplicate).length;
  return { imported: appended.events.length - present, present, tooOld: checked.tooOld };
}

function summaryLine(file: string, outcome: FileOutcome, retentionDays: number): string {
  const total = outcome.imported + outcome.present + outcome.tooOld;
  const old = outcome.tooOld > 0 ? `, ${outcome.tooOld} skipped (older than the ${retentionDays}-day retention window)` : '';
  return `${file}: ${total} records: ${outcome.imported} imported, ${outcome.present} already present${old}\n`;
}

export function registerImportCommand(program: Command): void {
  const events = program.command('events').description('work with the event history');
  withConfigOptions(events.command('import <files...>').description('import CloudTrail log files into an account'))
    .requiredOption('--account-id <id>', 'account whose history receives the records')
    .option('--region <region>', "region to file records under (default: each record's awsRegion)")
    .option('--allow-account-mismatch', 'also import records whose recipientAccountId is another account')
    .option('--deliver-to-trails', 'let logging trails deliver the imported records too (default: history only)')
    .action(async (files: string[], o: ImportOptions) => {
      if (!isAccountId(o.accountId)) throw new ConfigError(`--account-id must be 12 digits, got "${o.accountId}"`);
      const config = loadConfig(configFlags(o), process.env, o.config);
      // Back-pressure bounds what many callers of the server queue; here one caller appends one
      // file at a time, whole (all or nothing), and the file is in memory already.
      const stores = await openStores({ ...config, maxPendingEvents: Number.MAX_SAFE_INTEGER }, systemClock);
      const rules: ImportRules = {
        accountId: o.accountId,
        region: o.region,
        allowAccountMismatch: o.allowAccountMismatch === true,
        oldestMs: systemClock.now() - config.retentionDays * DAY_MS,
        deliverToTrails: o.deliverToTrails === true,
      };
      const totals = { imported: 0, present: 0, tooOld: 0, failedFiles: 0 };
      try {
        if ((await stores.identity.store.getAccount(o.accountId)) === undefined) {
          throw new ConfigError(`no account ${o.accountId}; create it with: opentrail accounts create --account-id ${o.accountId}`);
        }
        for (const file of files) {
          try {
            const outcome = await importFile(file, rules, stores.events, process.stderr);
            totals.imported += outcome.imported;
            totals.present += outcome.present;
            totals.tooOld += outcome.tooOld;
            process.stdout.write(summaryLine(file, outcome, config.retentionDays));
          } catch (error) {
            if (!(error instanceof FileProblem)) throw error;
            totals.failedFiles++;
            process.stderr.write(`${file}: not imported: ${error.message}\n`);
          }
        }
      } finally {
        await stores.close();
      }
      const failed = totals.failedFiles > 0 ? `; ${totals.failedFiles} of ${files.length} files not imported` : '';
      process.stdout.write(`imported ${totals.imported} new records into account ${o.accountId} (${totals.present} already present)${failed}\n`);
      if (totals.tooOld > 0) {
        process.stdout.write(
          `${totals.tooOld} records older than the ${config.retentionDays}-day retention window were skipped: LookupEvents would not show them ` +
            'and the server would purge them. To keep them, raise retentionDays (OPENTRAIL_RETENTION_DAYS or the config file) ' +
            'for this import and for the server, then import again.\n',
        );
      }
      if (rules.deliverToTrails === false && totals.imported > 0) {
        process.stdout.write('Imported records are history only: trails do not deliver them (--deliver-to-trails to have them delivered).\n');
      }
      if (totals.failedFiles > 0) process.exitCode = 1;
    });
}
