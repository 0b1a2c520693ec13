/** Reading delivered CloudTrail log files back, as a consumer of the bucket would. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** CloudTrail's log file key (the CloudTrail User Guide, 'Finding your CloudTrail log files'), capturing account, region, date folders and name parts. */
export const LOG_FILE_KEY =
  /^(?:(.+)\/)?AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$/;

/**
 * Every object key under a file-store bucket folder, as a reader of the folder sees them:
 * the store's temporary files (`.opentrail-*`, renamed into place when complete) are left out.
 */
export function bucketKeys(bucketDir: string): string[] {
  if (!existsSync(bucketDir)) return [];
  const keys: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.opentrail-')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else keys.push(relative(bucketDir, path));
    }
  };
  walk(bucketDir);
  return keys.sort();
}

export function logFileRecords(gzipped: Buffer): Record<string, unknown>[] {
  return (JSON.parse(gunzipSync(gzipped).toString('utf8')) as { Records: Record<string, unknown>[] }).Records;
}

export function readLogFile(bucketDir: string, key: string): Record<string, unknown>[] {
  return logFileRecords(readFileSync(join(bucketDir, key)));
}

/** Polls until `check` returns a value (not undefined), bounded in time. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
