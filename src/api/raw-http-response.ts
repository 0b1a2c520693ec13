/**
 * An HttpResponse as the bytes of an HTTP/1.1 response that closes the connection. For errors
 * found below the request level (a request Node could not parse, a client too slow to send one):
 * there is no ServerResponse then, only the socket.
 */
import { STATUS_CODES } from 'node:http';
import type { HttpResponse } from './http-types.js';

export function rawHttpResponse(response: HttpResponse): Buffer {
  const body = response.bytes ?? Buffer.from(response.body, 'utf8');
  const head = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? 'Error'}`];
  for (const [name, value] of Object.entries(response.headers)) head.push(`${name}: ${value}`);
  head.push(`content-length: ${body.length}`, 'connection: close');
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}
