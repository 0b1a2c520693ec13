/** Errors of the object-store port, the S3 bucket naming rules and the key order every adapter shares. */

/** Why an object-store call failed; `retryable` says whether the same call may succeed later. */
export class ObjectStoreError extends Error {
  readonly retryable: boolean;
  /** A short machine-readable reason: NoSuchBucket, InvalidBucketName, InvalidKey, AccessDenied, ... */
  readonly code: string;

  constructor(message: string, options: { retryable: boolean; code?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ObjectStoreError';
    this.retryable = options.retryable;
    this.code = options.code ?? 'ObjectStoreError';
  }
}

/**
 * S3 bucket naming rules (general purpose buckets): 3–63 characters of lowercase letters, digits,
 * dots and hyphens; a letter or digit first and last; no two adjacent dots; not an IPv4 address;
 * none of the reserved prefixes and suffixes.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'may hold only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not hold two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not begin with "${prefix}"`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with "${suffix}"`;
  }
  return undefined;
}

/** Throws ObjectStoreError(InvalidBucketName) for a name that breaks the S3 naming rules. */
export function assertBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem !== undefined) {
    throw new ObjectStoreError(`invalid bucket name ${JSON.stringify(name)}: it ${problem}`, { retryable: false, code: 'InvalidBucketName' });
  }
}

/** Byte order of the UTF-8 encodings, the order S3 lists keys in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
