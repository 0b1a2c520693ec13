/** The `opentrail` command. */
import { Command } from 'commander';
import { PRIVATE_UMASK } from '../fs/private-files.js';
import { reportFatal } from './fatal-error.js';

// Before anything is written: files SQLite, the AWS SDK or any other library creates without
// an explicit mode are private to this user too (the data holds every account's history).
process.umask(PRIVATE_UMASK);

const program = new Command('opentrail')
  .description('OpenTrail: a self-hosted audit trail, wire-compatible with AWS CloudTrail')
  .showHelpAfterError();
// `validate-logs` loads its own command only: the others pull in the whole server (stores,
// workers, every SDK client), half a second of start-up it does not need and that a run over
// a bucket per day or per trail pays every time. Anything else (help too) loads them all.
if (process.argv[2] === 'validate-logs') {
  const { registerValidateLogsCommand } = await import('./validate-logs-command.js');
  registerValidateLogsCommand(program);
} else {
  const [serve, admin, importing, buckets, validate, monitoring, migrate] = await Promise.all([
    import('./serve-command.js'),
    import('./admin-commands.js'),
    import('./import-command.js'),
    import('./buckets-command.js'),
    import('./validate-logs-command.js'),
    import('./monitoring-command.js'),
    import('./migrate-store-command.js'),
  ]);
  serve.registerServeCommand(program);
  admin.registerAdminCommands(program);
  importing.registerImportCommand(program);
  buckets.registerBucketsCommand(program);
  validate.registerValidateLogsCommand(program);
  monitoring.registerMonitoringCommand(program);
  migrate.registerMigrateStoreCommand(program);
}

program.parseAsync(process.argv).catch(reportFatal);
