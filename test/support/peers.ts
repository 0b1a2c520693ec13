/**
 * Peers are the real things a test talks to (AWS CLI, boto3, PostgreSQL, a moto server, the
 * shared CloudTrail samples). A test whose peer is missing skips and says why; under
 * OPENTRAIL_REQUIRE_PEERS=1 (CI) a missing peer is a failure instead, so CI never passes by skipping.
 */
import { spawnSync } from 'node:child_process';

export const peersRequired = process.env.OPENTRAIL_REQUIRE_PEERS === '1';

/** Returns whether the peer is there; throws when it is not and peers are required. */
export function peerAvailable(name: string, available: boolean, why: string): boolean {
  if (available) return true;
  if (peersRequired) {
    throw new Error(`peer "${name}" is required (OPENTRAIL_REQUIRE_PEERS=1) but missing: ${why}`);
  }
  console.warn(`skipping tests that need "${name}": ${why}`);
  return false;
}

/** True when `command args...` runs and exits 0 (used to probe for CLIs and Python modules). */
export function commandWorks(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}

/** The stock AWS CLI (`aws`), as the interop tests drive it. */
export function awsCliAvailable(): boolean {
  return peerAvailable('aws-cli', commandWorks('aws', ['--version']), 'the `aws` command was not found');
}

/** python3 with boto3, for the tests that run Python snippets. */
export function boto3Available(): boolean {
  return peerAvailable('boto3', commandWorks('python3', ['-c', 'import boto3']), 'python3 with boto3 was not found');
}
