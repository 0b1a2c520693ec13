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

export function samplesAvailable(): boolean {
  return peerAvailable('cloudtrail-samples', existsSync(SAMPLES_DIR), `${SAMPLES_DIR} not found`);
}

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()
    .map((name) => join(SAMPLES_DIR, name));
}

export function sampleText(file: string): string {
  return gunzipSync(readFileSync(file)).toString('utf8');
}
