/** Structured logs (pino, JSON lines) on stderr; stdout carries only what a user reads. */
import { destination, pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { serializeLoggedError } from './log-error.js';

export function createLogger(level: string, to: DestinationStream = destination({ fd: 2, sync: false })): Logger {
  return pino({ level, base: { service: 'opentrail' }, serializers: { err: serializeLoggedError } }, to);
}
