/** Real AWS SDK clients pointed at a test server. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { ServerProcess } from './server-process.js';

/** What a test changes of a client: its region (default us-east-1) and its key (default the server's bootstrap key). */
export interface ClientOverrides {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** The options every SDK client of the tests shares: the server's endpoint, a region, a key, and no retries (a test sees each answer). */
export function clientOptions(server: Pick<ServerProcess, 'url' | 'accessKeyId' | 'secretAccessKey'>, overrides: ClientOverrides = {}) {
  return {
    endpoint: server.url,
    region: overrides.region ?? 'us-east-1',
    credentials: {
      accessKeyId: overrides.accessKeyId ?? server.accessKeyId,
      secretAccessKey: overrides.secretAccessKey ?? server.secretAccessKey,
      ...(overrides.sessionToken !== undefined && { sessionToken: overrides.sessionToken }),
    },
    maxAttempts: 1,
  };
}

export function cloudTrailClient(server: ServerProcess, overrides: ClientOverrides = {}): CloudTrailClient {
  return new CloudTrailClient(clientOptions(server, overrides));
}

export function organizationsClient(server: ServerProcess, overrides: ClientOverrides = {}): OrganizationsClient {
  return new OrganizationsClient(clientOptions(server, overrides));
}
