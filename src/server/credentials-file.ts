/**
 * The AWS shared-credentials file written on first start, so the AWS CLI, SDKs and boto3 can
 * use the bootstrap key with `AWS_SHARED_CREDENTIALS_FILE=<file> ... --profile opentrail`.
 */
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../fs/private-files.js';

export const PROFILE = 'opentrail';

export function credentialsFileText(accessKeyId: string, secretAccessKey: string): string {
  return `[${PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

export function writeCredentialsFile(file: string, accessKeyId: string, secretAccessKey: string): void {
  // The mode of open() applies on creation only: an existing file (say 0644) is made 0600
  // before the secret is written into it.
  const fd = openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, credentialsFileText(accessKeyId, secretAccessKey));
  } finally {
    closeSync(fd);
  }
}
