/** The admin CLI (`opentrail <command> --data-dir ...`) run on a test server's data directory. */
import { spawnSync } from 'node:child_process';
import { BIN } from './server-process.js';

/** Its standard output; a failing command throws with its standard error, so a test never goes on after a setup step failed. */
export function runAdminCli(dataDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`opentrail ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
