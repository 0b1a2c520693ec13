/**
 * Crash tests kill a server while calls are in flight: those calls may fail to connect or lose
 * their connection, and nothing else is acceptable. This tells that failure apart from any
 * other, so a test tolerates exactly it (and only once the kill has begun).
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (e.message === 'other side closed' || e.message === 'socket hang up') return true;
  }
  return false;
}
