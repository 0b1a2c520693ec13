/**
 * How records say a change came from the local administrator (the admin CLI, the first start):
 * the account itself acting from the machine that holds the data directory (docs/identity.md).
 */
import { readFileSync } from 'node:fs';

/** Where the records of the admin CLI say its calls came from. */
export const LOCAL_SOURCE_IP = '127.0.0.1';

/** This checkout's version: package.json above src/server (run from source) or dist/src/server (built). */
function cliVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'opentrail' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there from this layout: try the next one. The version is only informative.
    }
  }
  return 'unknown';
}

export const CLI_USER_AGENT = `opentrail-cli/${cliVersion()}`;
