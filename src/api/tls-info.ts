/** TLS facts of a client connection, as CloudTrail's tlsDetails and CipherSuite give them. */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from './http-types.js';

/**
 * Undefined over plain HTTP. The cipher is OpenSSL's name, as CloudTrail writes it
 * (`ECDHE-RSA-AES128-GCM-SHA256` for TLS 1.2; TLS 1.3's are the same either way).
 */
export function tlsInfoOf(req: IncomingMessage): TlsInfo | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.getProtocol === undefined || socket.getCipher === undefined) return undefined;
  return { tlsVersion: socket.getProtocol() ?? 'unknown', cipherSuite: socket.getCipher().name };
}
