/** Real AWS SDK clients pointed at a test server. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { ServerProcess } from './server-process.js';

export function cloudTrailClient(
  server: ServerProcess,
  overrides: { region?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } = {},
): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: server.url,
    region: overrides.region ?? 'us-east-1',
    credentials: {
      accessKeyId: overrides.accessKeyId ?? server.accessKeyId,
      secretAccessKey: overrides.secretAccessKey ?? server.secretAccessKey,
      ...(overrides.sessionToken !== undefined && { sessionToken: overrides.sessionToken }),
    },
    maxAttempts: 1,
  });
}

export function organizationsClient(
  server: ServerProcess,
  overrides: { region?: string; accessKeyId?: string; secretAccessKey?: string } = {},
): OrganizationsClient {
  return new OrganizationsClient({
    endpoint: server.url,
    region: overrides.region ?? 'us-east-1',
    credentials: {
      accessKeyId: overrides.accessKeyId ?? server.accessKeyId,
      secretAccessKey: overrides.secretAccessKey ?? server.secretAccessKey,
    },
    maxAttempts: 1,
  });
}
