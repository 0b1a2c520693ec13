/** This process's name in lease rows: the host and pid say where to look, the suffix tells restarts apart. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function nodeName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
