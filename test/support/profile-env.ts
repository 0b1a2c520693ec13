/**
 * The environment for the stock AWS CLI or boto3 using the `opentrail` profile of the
 * credentials file the server writes on first start, and nothing of the developer's own AWS
 * setup: no config file, no profile or keys from the environment, no instance metadata.
 */
import { join } from 'node:path';

export function serverProfileEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'credentials'),
    AWS_CONFIG_FILE: join(dataDir, 'no-such-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
  };
}
