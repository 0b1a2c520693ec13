/**
 * The shared real CloudTrail records (../shared/data/cloudtrail-samples), read in place.
 * They are a peer: absent → the tests that need them skip, or fail under OPENTRAIL_REQUIRE_PEERS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { peerAvailable } from './peers.js';

/** `../shared/data/cloudtrail-samples` beside the project, or OPENTRAIL_SAMPLES_DIR. */
export const SAMPLES_DIR = process.env.OPENTRAIL_SAMPLES_DIR ?? resolve(import.meta.dirname, '../../../shared/data/cloudtrail-samples');

function listSampleFiles(): string[] {
  if (!existsSync(SAMPLES_DIR)) return [];
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()
    .map((name) => join(SAMPLES_DIR, name));
}

/** An empty or absent sample set is a missing peer: loops over it would pass without testing anything. */
export function samplesAvailable(): boolean {
  return peerAvailable('cloudtrail-samples', listSampleFiles().length > 0, `no .json.gz sample files in ${SAMPLES_DIR}`);
}

/** The sample files; throws when there are none, so a test can never pass over an empty set. */
export function sampleFiles(): string[] {
  const files = listSampleFiles();
  if (files.length === 0) throw new Error(`no .json.gz sample files in ${SAMPLES_DIR}`);
  return files;
}

export function sampleText(file: string): string {
  return gunzipSync(readFileSync(file)).toString('utf8');
}
