/** Synthetic CloudTrail records for benchmarks: realistic field spread, deterministic. */
import { apiCallRecord } from '../../src/core/api-call-record.js';
import { prepareEvent } from '../../src/core/prepare-event.js';
import type { PreparedEvent } from '../../src/store/event-store.js';

export const BENCH_ACCOUNT = '123456789012';
export const USERS = 200;
export const SOURCES = ['cloudtrail', 'ec2', 's3', 'iam', 'kms', 'sts', 'lambda', 'rds', 'ssm', 'logs'].map((s) => `${s}.amazonaws.com`);
const NAMES = ['Describe', 'Get', 'List', 'Create', 'Delete', 'Put', 'Update'].flatMap((verb) =>
  ['Instances', 'Bucket', 'User', 'Key', 'Trail', 'Function', 'Parameter'].map((noun) => verb + noun),
);

/** A tiny deterministic PRNG, so every run benchmarks the same data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticEvents(count: number, startMs: number, spanMs: number, seed = 1): Generator<PreparedEvent> {
  const random = mulberry32(seed);
  return (function* () {
    for (let i = 0; i < count; i++) {
      const user = `user-${Math.floor(random() * USERS)}`;
      const name = NAMES[Math.floor(random() * NAMES.length)]!;
      const source = SOURCES[Math.floor(random() * SOURCES.length)]!;
      const readOnly = /^(Describe|Get|List)/.test(name);
      const withResource = random() < 0.3;
      yield prepareEvent(
        BENCH_ACCOUNT,
        'us-east-1',
        apiCallRecord({
          identity: {
            type: 'IAMUser',
            principalId: `AIDA${i % 1000}`,
            arn: `arn:aws:iam::${BENCH_ACCOUNT}:user/${user}`,
            accountId: BENCH_ACCOUNT,
            accessKeyId: `AKIA${user.toUpperCase().replace('-', '')}`,
            userName: user,
          },
          recipientAccountId: BENCH_ACCOUNT,
          region: 'us-east-1',
          eventSource: source,
          eventName: name,
          timeMs: startMs + Math.floor((i / count) * spanMs),
          sourceIPAddress: `10.0.${i % 256}.${(i >> 8) % 256}`,
          userAgent: 'aws-cli/2.15.0 Python/3.11',
          requestParameters: readOnly ? null : { name: `resource-${i % 5000}` },
          responseElements: null,
          requestId: `bench-${i}`,
          eventId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
          readOnly,
          ...(withResource && { resources: [{ ARN: `arn:aws:s3:::bucket-${i % 500}`, type: 'AWS::S3::Bucket', accountId: BENCH_ACCOUNT }] }),
        }),
      );
    }
  })();
}
