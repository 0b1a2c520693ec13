/**
 * The AWS shared-credentials file written on first start, so the AWS CLI, SDKs and boto3 can
 * use the bootstrap key with `AWS_SHARED_CREDENTIALS_FILE=<file> ... --profile opentrail`.
 */
import { writeFileSync } from 'node:fs';

export const PROFILE = 'opentrail';

export function credentialsFileText(accessKeyId: string, secretAccessKey: string): string {
  return `[${PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

export function writeCredentialsFile(file: string, accessKeyId: string, secretAccessKey: string): void {
  // Mode applies on creation only; an existing file is replaced through a fresh create.
  writeFileSync(file, credentialsFileText(accessKeyId, secretAccessKey), { mode: 0o600, flag: 'w' });
}
