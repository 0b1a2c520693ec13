/**
 * The protocol-neutral request and response the pipeline works on. The node:http adapter
 * converts to and from these; tests and other hosts can call the pipeline directly.
 */
export interface TlsInfo {
  tlsVersion: string;
  cipherSuite: string;
}

export interface HttpRequest {
  method: string;
  /** Raw path without the query string. */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  remoteAddress: string;
  tls?: TlsInfo;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A binary body (CloudWatch's CBOR), sent instead of `body` when set. */
  bytes?: Buffer;
}

export function headerValue(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
