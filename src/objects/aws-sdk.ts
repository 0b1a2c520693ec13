/**
 * What the AWS SDK clients (S3, SNS) share: configuration from the environment the way the AWS
 * tools read it, and which of their failures may pass if tried again.
 */

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. */
export function environmentRegion(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1';
}

/**
 * For an environment other than the process's own (tests, embedding): its static keys, as the
 * first link of the default chain would read them. The process environment is left to the chain.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (env === process.env || accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined || secretAccessKey === '') return {};
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && sessionToken !== '' && { sessionToken }) } };
}

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ESOCKETTIMEDOUT']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

export function awsErrorStatus(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

/** The service's error code (NoSuchKey, SlowDown, ...), or a system error's code (ECONNREFUSED). */
export function awsErrorName(error: unknown): string {
  const e = error as SdkError | undefined;
  const name = e?.name;
  if ((name === undefined || name === 'Error') && typeof e?.code === 'string') return e.code;
  return name ?? 'Error';
}

/** Network failures, 5xx, 429 and throttling may pass; other answers of the store will not. */
export function isRetryableAwsError(error: unknown): boolean {
  const e = error as SdkError | undefined;
  if (e === undefined || e === null) return false;
  if (e.$retryable !== undefined) return true;
  const status = awsErrorStatus(error);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (RETRYABLE_NAMES.has(awsErrorName(error))) return true;
  for (let c: unknown = error, depth = 0; c !== undefined && c !== null && depth < 5; c = (c as SdkError).cause, depth++) {
    if (NETWORK_CODES.has((c as SdkError).code ?? '')) return true;
  }
  return false;
}
