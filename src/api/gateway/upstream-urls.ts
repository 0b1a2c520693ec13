/**
 * An upstream's answers name the upstream's own address (SQS's QueueUrl, S3's
 * CompleteMultipartUpload Location). A client that used such a URL would talk to the upstream
 * directly, past the gateway and so past the audit trail: the gateway's answers name the gateway
 * instead, as the client addressed it.
 */

/** The body with every occurrence of `upstreamOrigin` (and its JSON-escaped form) made `clientOrigin`. */
export function withClientUrls(body: Buffer, upstreamOrigin: string, clientOrigin: string): Buffer {
  if (upstreamOrigin === clientOrigin || body.length === 0) return body;
  const escaped = upstreamOrigin.replaceAll('/', '\\/');
  // Latin-1 keeps every byte as it was: the bytes of a URL are ASCII, the rest passes untouched.
  const text = body.toString('latin1');
  if (!text.includes(upstreamOrigin) && !text.includes(escaped)) return body;
  return Buffer.from(text.replaceAll(upstreamOrigin, clientOrigin).replaceAll(escaped, clientOrigin.replaceAll('/', '\\/')), 'latin1');
}

/** The origin a client used to reach the gateway: scheme and its Host header. */
export function clientOriginOf(host: string, tls: boolean): string | undefined {
  return /^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? `${tls ? 'https' : 'http'}://${host}` : undefined;
}
