/**
 * The string S3's Signature Version 2 signs ("Signing and authenticating REST requests" in the
 * S3 developer guide):
 *
 *   VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource
 *
 * and its signature, base64(HMAC-SHA1(secret, stringToSign)). The sub-resources and their
 * decoding are botocore's (`HmacV1Auth`), which is what the AWS CLI v1 and boto3 sign with.
 */
import { createHmac } from 'node:crypto';

/**
 * The query parameters S3 signs as sub-resources: botocore's `HmacV1Auth.QSAOfInterest`
 * (botocore 1.43), matched by exact, case-sensitive name as botocore matches them.
 */
export const SUB_RESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'defaultObjectAcl',
  'delete',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'partNumber',
  'policy',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'select',
  'select-type',
  'storageClass',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/**
 * Percent-decoding as Python's `urllib.parse.unquote`: runs of `%XX` become bytes read as UTF-8
 * (invalid sequences as U+FFFD), a `%` not followed by two hex digits stays, `+` stays `+`.
 */
export function unquote(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/**
 * CanonicalizedResource: `/bucket` for a virtual-hosted request, then the path as sent
 * (percent-encoded), then the signed sub-resources of the query sorted by name, their values
 * percent-decoded, `name` alone when the query has it without `=`. A request for a bucket
 * itself signs `/bucket/`, with the trailing slash, in path style too (`/bucket?acl` signs
 * `/bucket/?acl`), as S3 documents it and botocore signs it.
 */
export function canonicalizedResource(rawPath: string, rawQuery: string, virtualHostBucket?: string): string {
  const full = virtualHostBucket === undefined ? rawPath : `/${virtualHostBucket}${rawPath}`;
  const path = /^\/[^/]+$/.test(full) ? `${full}/` : full;
  const subResources: [string, string | undefined][] = [];
  for (const part of rawQuery === '' ? [] : rawQuery.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!SUB_RESOURCES.has(name)) continue;
    subResources.push([name, eq < 0 ? undefined : unquote(part.slice(eq + 1))]);
  }
  if (subResources.length === 0) return path;
  // Array.prototype.sort is stable, as Python's sort: repeated names keep their order.
  subResources.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${subResources.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&')}`;
}

/**
 * CanonicalizedAmzHeaders: the `x-amz-*` entries lower-cased and sorted, each value trimmed,
 * repeated ones joined by `,`, each as `name:value\n` (empty when there are none).
 */
export function canonicalizedAmzHeaders(entries: Iterable<readonly [string, string]>): string {
  const byName = new Map<string, string[]>();
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('x-amz-')) continue;
    const values = byName.get(name) ?? [];
    values.push(value.trim());
    byName.set(name, values);
  }
  return [...byName.keys()]
    .sort()
    .map((name) => `${name}:${byName.get(name)!.join(',')}\n`)
    .join('');
}

export interface StringToSignParts {
  method: string;
  contentMd5: string;
  contentType: string;
  /** The Date header (empty when x-amz-date is given), or a presigned URL's Expires. */
  dateOrExpires: string;
  amzHeaders: string;
  resource: string;
}

export function s3SigV2StringToSign(parts: StringToSignParts): string {
  return `${parts.method.toUpperCase()}\n${parts.contentMd5}\n${parts.contentType}\n${parts.dateOrExpires}\n${parts.amzHeaders}${parts.resource}`;
}

/** base64(HMAC-SHA1(secret, stringToSign)), the string to sign as UTF-8. */
export function s3SigV2Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}
