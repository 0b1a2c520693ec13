/**
 * Our records against the real ones of the shared samples (samples.ts), member set by member
 * set: for every eventName (of an eventSource) present in both, the top-level members and the
 * members of additionalEventData must be those of a real record of that name, up to the members
 * a real record can have that ours cannot (with the reason).
 */
import type { CloudTrailRecord } from '../../src/core/record.js';
import { sampleFiles, sampleText } from './samples.js';

/** Top-level members real records may have and ours may not, or the other way round, and why. */
export const TOP_LEVEL_MAY_DIFFER: Readonly<Record<string, string>> = {
  tlsDetails: 'only over TLS',
  sessionCredentialFromConsole: 'calls made from the web console only',
  vpcEndpointId: 'calls through a VPC endpoint',
  vpcEndpointAccountId: 'calls through a VPC endpoint',
  sharedEventID: 'calls recorded in two accounts',
  apiVersion: 'written by some services for some calls only',
  errorCode: 'a call that failed in one and not the other',
  errorMessage: 'a call that failed in one and not the other',
  serviceEventDetails: 'service events, not API calls',
  edgeDeviceDetails: 'Outposts and edge devices',
  resources: 'absent from records of a failed call, and from old eventVersions',
  additionalEventData: 'present for some calls of a service only',
  eventCategory: 'eventVersion 1.07 and later',
  managementEvent: 'eventVersion 1.06 and later',
  recipientAccountId: 'eventVersion 1.02 and later',
  readOnly: 'eventVersion 1.02 and later',
};

/** additionalEventData members of S3 records that depend on the connection. */
const S3_EXTRA_MAY_DIFFER = new Set(['CipherSuite', 'x-amz-id-2']);

let byName: Map<string, CloudTrailRecord[]> | undefined;

function samplesByName(): Map<string, CloudTrailRecord[]> {
  if (byName !== undefined) return byName;
  byName = new Map();
  for (const file of sampleFiles()) {
    const parsed = JSON.parse(sampleText(file)) as { Records?: CloudTrailRecord[] } | CloudTrailRecord[];
    for (const record of Array.isArray(parsed) ? parsed : (parsed.Records ?? [])) {
      const key = `${String(record.eventSource)} ${String(record.eventName)}`;
      byName.set(key, [...(byName.get(key) ?? []), record]);
    }
  }
  return byName;
}

const keys = (value: unknown, ignore: (key: string) => boolean): string => (value !== null && typeof value === 'object' ? Object.keys(value).filter((k) => !ignore(k)).sort().join(',') : '');

export interface ShapeMismatch {
  eventName: string;
  ours: string;
  real: string[];
}

/**
 * The eventNames of `records` whose member sets match no real record of the same eventSource
 * and eventName; `compared` counts the eventNames found in both.
 */
export function compareWithSamples(records: readonly CloudTrailRecord[]): { compared: string[]; mismatches: ShapeMismatch[] } {
  const samples = samplesByName();
  const compared = new Set<string>();
  const mismatches: ShapeMismatch[] = [];
  const top = (k: string) => TOP_LEVEL_MAY_DIFFER[k] !== undefined;
  const extra = (k: string) => S3_EXTRA_MAY_DIFFER.has(k);
  for (const record of records) {
    const key = `${String(record.eventSource)} ${String(record.eventName)}`;
    const real = samples.get(key);
    if (real === undefined) continue;
    compared.add(key);
    const shape = (r: CloudTrailRecord) => `${keys(r, top)} | ${keys(r.additionalEventData, extra)}`;
    const ours = shape(record);
    const realShapes = [...new Set(real.map(shape))];
    // additionalEventData is compared only where both have it (see TOP_LEVEL_MAY_DIFFER).
    const matches = realShapes.some((r) => {
      const [realTop, realExtra] = r.split(' | ');
      const [ourTop, ourExtra] = ours.split(' | ');
      return realTop === ourTop && (realExtra === '' || ourExtra === '' || realExtra === ourExtra);
    });
    if (!matches && !mismatches.some((m) => m.eventName === key)) mismatches.push({ eventName: key, ours, real: realShapes });
  }
  return { compared: [...compared].sort(), mismatches };
}
