/**
 * What temporary credentials cost per call: GetCallerIdentity (authenticated, authorized, recorded
 * durably, like every call) signed with a long-term key, the baseline, beside the same call signed
 * with AssumeRole session credentials (session lookup, token hash check, role policies), and the
 * AssumeRole call itself (trust policy, new session committed with its record). Sequential calls
 * through the real SDK against a real server process.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startServer } from '../test/support/server-process.js';
import { ms, summarize, table, timeEach } from './support/stats.js';

const ACCOUNT = '123456789012';
const ACCESS_KEY_ID = 'AKIABENCHIDENTITY001';
const SECRET = 'bench-secret-0123456789abcdefghijklmnopq';

interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface IdentityBenchOptions {
  dataDir: string;
  calls: number;
}

export async function identityBench(options: IdentityBenchOptions): Promise<string> {
  const server = await startServer({ dataDir: options.dataDir, accountId: ACCOUNT, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
  const longTerm: AwsCredentialIdentity = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
  const sts = (credentials: AwsCredentialIdentity) => new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: longTerm, maxAttempts: 1 });
  const admin = sts(longTerm);
  const clients = [iam, admin];
  try {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'bench', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/bench`;
    const { Credentials } = await admin.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bench' }));
    const session = sts({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! });
    clients.push(session);
    // Warm both connections before timing.
    await admin.send(new GetCallerIdentityCommand({}));
    await session.send(new GetCallerIdentityCommand({}));

    const runs: [string, number[]][] = [
      ['GetCallerIdentity, long-term key (baseline)', await timeEach(options.calls, async () => admin.send(new GetCallerIdentityCommand({})))],
      ['GetCallerIdentity, AssumeRole session', await timeEach(options.calls, async () => session.send(new GetCallerIdentityCommand({})))],
      ['AssumeRole (new session each call)', await timeEach(options.calls, async (i) => admin.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `bench-${i}` })))],
    ];
    const baseline = summarize(runs[0]![1]).p50;
    const rows = runs.map(([name, samples]) => {
      const s = summarize(samples);
      const total = samples.reduce((a, b) => a + b, 0);
      return [name, String(s.n), ms(s.p50), ms(s.p99), Math.round((s.n * 1000) / total).toLocaleString('en-US'), (s.p50 / baseline).toFixed(2)];
    });
    return [
      `Identity: one call at a time, each recorded durably before it is answered`,
      table(['call', 'n', 'p50', 'p99', 'calls/s', 'p50 × baseline'], rows),
    ].join('\n');
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
  }
}
