/** The `opentrail` command. */
import { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { AlreadyExistsError } from '../iam/identity-store.js';
import { IdentityInputError } from '../iam/identity-service.js';
import { registerAdminCommands } from './admin-commands.js';
import { registerBucketsCommand } from './buckets-command.js';
import { registerImportCommand } from './import-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerValidateLogsCommand } from './validate-logs-command.js';

const program = new Command('opentrail')
  .description('OpenTrail: a self-hosted audit trail, wire-compatible with AWS CloudTrail')
  .showHelpAfterError();
registerServeCommand(program);
registerAdminCommands(program);
registerImportCommand(program);
registerBucketsCommand(program);
registerValidateLogsCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  // Expected, user-facing failures print one line; anything else is a bug and shows its stack.
  if (error instanceof ConfigError || error instanceof IdentityInputError || error instanceof AlreadyExistsError) {
    process.stderr.write(`opentrail: ${error.message}\n`);
  } else {
    process.stderr.write(`opentrail: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
});
