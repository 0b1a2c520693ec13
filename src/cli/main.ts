/** The `opentrail` command. */
import { Command } from 'commander';
import { PRIVATE_UMASK } from '../fs/private-files.js';
import { registerAdminCommands } from './admin-commands.js';
import { registerBucketsCommand } from './buckets-command.js';
import { reportFatal } from './fatal-error.js';
import { registerImportCommand } from './import-command.js';
import { registerMigrateStoreCommand } from './migrate-store-command.js';
import { registerMonitoringCommand } from './monitoring-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerValidateLogsCommand } from './validate-logs-command.js';

// Before anything is written: files SQLite, the AWS SDK or any other library creates without
// an explicit mode are private to this user too (the data holds every account's history).
process.umask(PRIVATE_UMASK);

const program = new Command('opentrail')
  .description('OpenTrail: a self-hosted audit trail, wire-compatible with AWS CloudTrail')
  .showHelpAfterError();
registerServeCommand(program);
registerAdminCommands(program);
registerImportCommand(program);
registerBucketsCommand(program);
registerValidateLogsCommand(program);
registerMonitoringCommand(program);
registerMigrateStoreCommand(program);

program.parseAsync(process.argv).catch(reportFatal);
