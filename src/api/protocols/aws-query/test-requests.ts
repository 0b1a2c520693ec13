/** A query client's request as the pipeline hands it over (a form-encoded POST /), for the query protocol's unit tests. */
import type { HttpRequest } from '../../http-types.js';

export function formRequest(body: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}
