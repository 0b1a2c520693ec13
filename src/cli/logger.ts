/** Structured logs (pino, JSON lines) on stderr; stdout carries only what a user reads. */
import { destination, pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'opentrail' } }, destination({ fd: 2, sync: false }));
}
