/** Options every command that opens the data directory shares. */
import type { Command } from 'commander';

export interface ConfigOptions {
  config?: string;
  dataDir?: string;
  store?: string;
}

export function withConfigOptions(command: Command): Command {
  return command
    .option('--config <file>', 'JSON configuration file (or OPENTRAIL_CONFIG)')
    .option('--data-dir <dir>', 'data directory (or OPENTRAIL_DATA_DIR; default ./data)')
    .option('--store <url>', 'event store URL (or OPENTRAIL_STORE; default sqlite:)');
}

export function configFlags(options: ConfigOptions): { dataDir?: string; store?: string } {
  return {
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.store !== undefined && { store: options.store }),
  };
}
