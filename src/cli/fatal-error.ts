/**
 * How a command that fails ends: one line on stderr (`opentrail: <message>`), exit status 1,
 * and promptly. The stack (with its causes) follows only at a debug log level
 * (OPENTRAIL_LOG_LEVEL=debug or trace): an operator needs what to fix, a developer the where.
 */
const DEBUG_LEVELS = new Set(['debug', 'trace']);
/**
 * The process normally ends by itself once the command's stores are closed; should something
 * still be open (a socket, a handle a library keeps), this is how long it may run on.
 */
const EXIT_GRACE_MS = 500;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

function stackWithCauses(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(error);
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    parts.push(current.stack ?? current.message);
  }
  return parts.join('\ncaused by: ');
}

export function reportFatal(error: unknown, env: NodeJS.ProcessEnv = process.env): void {
  process.stderr.write(`opentrail: ${oneLine(error)}\n`);
  if (DEBUG_LEVELS.has((env.OPENTRAIL_LOG_LEVEL ?? '').toLowerCase())) process.stderr.write(`${stackWithCauses(error)}\n`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
}
