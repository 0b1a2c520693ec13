/**
 * How an error appears in a log line: each message once. Errors here wrap their cause and
 * repeat its message in their own ("delivering ... failed: writing ...: ENOTDIR ..."), which is
 * right for the one-line text a trail's status shows; pino's standard serializer then appends
 * every cause's message again, and its stack repeats each message once more, so one failure
 * showed the same text three to six times.
 *
 * Here `message` is the outer message plus only those cause messages it does not already hold,
 * and `stack` keeps the frames (where it happened, for each cause) without the messages.
 */
import { stdSerializers } from 'pino';

const MAX_CAUSES = 10;

function causesOf(error: Error): Error[] {
  const causes: Error[] = [];
  for (let cause = error.cause; cause instanceof Error && causes.length < MAX_CAUSES; cause = cause.cause) causes.push(cause);
  return causes;
}

export function messageOnce(error: Error): string {
  let message = error.message;
  for (const cause of causesOf(error)) {
    if (cause.message !== '' && !message.includes(cause.message)) message += `: ${cause.message}`;
  }
  return message;
}

/** The stack's frames ("    at ..."), without the "Name: message" lines before them. */
function framesOf(error: Error): string {
  return (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

function stackOnce(error: Error): string {
  return [framesOf(error), ...causesOf(error).map((cause) => `caused by ${cause.name}\n${framesOf(cause)}`)].join('\n');
}

export function serializeLoggedError(error: unknown): unknown {
  if (!(error instanceof Error)) return stdSerializers.err(error as Error);
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  serialized.message = messageOnce(error);
  serialized.stack = stackOnce(error);
  return serialized;
}
